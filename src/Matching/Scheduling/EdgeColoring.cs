namespace Matching.Scheduling;

/// <summary>Puts chosen meetings into slots when any slot suits any of them: a proper, balanced edge colouring of the
/// bipartite university–enterprise graph with one colour per slot.</summary>
/// <remarks>
/// <para>König's theorem: a bipartite graph whose vertices have degree ≤ k has a proper edge colouring with k colours;
/// de Werra (1971): one whose colour classes differ in size by at most one. So when every organisation has at most
/// <c>Slots</c> meetings and all meetings together fit <c>Slots × Tables</c>, the meetings always fit the slots, and
/// choosing the meetings is all the optimisation there is (<see cref="CpSatAgenda"/>).</para>
/// <para>Colouring: each edge in turn gets a colour free at both ends, after swapping the two colours along the
/// alternating path from one end when no colour is free at both (a Kempe chain, which in a bipartite graph never reaches
/// the other end). Balancing: while two classes differ by two or more, the two colours are swapped along an alternating
/// path that has one more edge of the larger class. Both steps are deterministic: edges in the given order, colours
/// and vertices by index.</para>
/// </remarks>
internal static class EdgeColoring
{
    /// <summary>A colour 1..<paramref name="colors"/> per edge (0 for edges not <paramref name="chosen"/>).</summary>
    /// <param name="vertexCount">Vertices are 0..vertexCount − 1.</param>
    /// <param name="edges">Each edge's two ends, one in each part of the bipartite graph.</param>
    /// <param name="chosen">Which edges to colour; no vertex may have more than <paramref name="colors"/> of them.</param>
    /// <param name="colors">Colours available.</param>
    public static int[] Color(int vertexCount, IReadOnlyList<(int A, int B)> edges, IReadOnlyList<bool> chosen, int colors)
    {
        var state = new Coloring(vertexCount, edges, colors);
        for (var i = 0; i < edges.Count; i++)
        {
            if (chosen[i])
            {
                state.Add(i);
            }
        }

        state.Balance();
        return state.ColorOf;
    }

    private sealed class Coloring
    {
        private readonly IReadOnlyList<(int A, int B)> _edges;
        private readonly int _colors;

        // _at[v * (colors + 1) + c]: the edge of colour c at vertex v, or −1.
        private readonly int[] _at;
        private readonly int[] _size;

        public Coloring(int vertexCount, IReadOnlyList<(int A, int B)> edges, int colors)
        {
            _edges = edges;
            _colors = colors;
            _at = new int[vertexCount * (colors + 1)];
            Array.Fill(_at, -1);
            _size = new int[colors + 1];
            ColorOf = new int[edges.Count];
        }

        public int[] ColorOf { get; }

        public void Add(int edge)
        {
            var (u, v) = _edges[edge];
            var a = FreeAt(u);
            var b = FreeAt(v);
            if (At(v, a) >= 0)
            {
                // a is taken at v: swap a and b along the path from v that starts with a; it cannot end at u (u lacks a,
                // and in a bipartite graph the path reaches u's side only over edges of colour a), so a becomes free at both.
                Swap(Path(v, a, b), a, b);
            }

            Set(edge, a);
        }

        /// <summary>Evens the class sizes out: each swap moves one edge from the largest class to the smallest.</summary>
        public void Balance()
        {
            while (true)
            {
                var (large, small) = (1, 1);
                for (var c = 2; c <= _colors; c++)
                {
                    large = _size[c] > _size[large] ? c : large;
                    small = _size[c] < _size[small] ? c : small;
                }

                if (_size[large] - _size[small] < 2)
                {
                    return;
                }

                // The large/small subgraph is paths and even cycles; with more large edges, some path starts and ends with
                // one. Its ends are vertices with a large edge and no small one.
                var swapped = false;
                for (var v = 0; v < _at.Length / (_colors + 1) && !swapped; v++)
                {
                    if (At(v, large) >= 0 && At(v, small) < 0 && Path(v, large, small) is { Count: var n } path && n % 2 == 1)
                    {
                        Swap(path, large, small);
                        swapped = true;
                    }
                }

                if (!swapped)
                {
                    throw new InvalidOperationException("no alternating path to balance the slots (the graph is not bipartite)");
                }
            }
        }

        private int At(int vertex, int color) => _at[(vertex * (_colors + 1)) + color];

        private int FreeAt(int vertex)
        {
            for (var c = 1; c <= _colors; c++)
            {
                if (At(vertex, c) < 0)
                {
                    return c;
                }
            }

            throw new InvalidOperationException("a vertex has more edges than colours");
        }

        /// <summary>The edges of the path that leaves <paramref name="start"/> by colour <paramref name="first"/>, then
        /// alternates with <paramref name="second"/>, as far as it goes.</summary>
        private List<int> Path(int start, int first, int second)
        {
            var path = new List<int>();
            var (vertex, color) = (start, first);
            while (At(vertex, color) is var edge and >= 0)
            {
                path.Add(edge);
                vertex = _edges[edge].A == vertex ? _edges[edge].B : _edges[edge].A;
                color = color == first ? second : first;
            }

            return path;
        }

        private void Swap(List<int> path, int a, int b)
        {
            foreach (var edge in path)
            {
                Clear(edge);
            }

            foreach (var edge in path)
            {
                ColorOf[edge] = ColorOf[edge] == a ? b : a;
            }

            foreach (var edge in path)
            {
                Set(edge, ColorOf[edge]);
            }
        }

        private void Set(int edge, int color)
        {
            var (u, v) = _edges[edge];
            ColorOf[edge] = color;
            _at[(u * (_colors + 1)) + color] = edge;
            _at[(v * (_colors + 1)) + color] = edge;
            _size[color]++;
        }

        private void Clear(int edge)
        {
            var (u, v) = _edges[edge];
            var color = ColorOf[edge];
            _at[(u * (_colors + 1)) + color] = -1;
            _at[(v * (_colors + 1)) + color] = -1;
            _size[color]--;
        }
    }
}
