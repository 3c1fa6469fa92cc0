using Matching.Ingestion;

namespace Matching.Evaluation;

/// <summary>How cross-validation splits judged demands into folds.</summary>
public enum FoldGrouping
{
    /// <summary>Demands that share a relevant achievement (grade &gt; 0), directly or through other demands — the connected
    /// components of the demand–achievement judgment graph — stay in one fold, so no held-out demand's answer is a
    /// training positive of a sibling demand. The default.</summary>
    Components,

    /// <summary>Each demand alone (the split before grouping). It leaks answers between folds whenever demands share
    /// them; kept to measure that leak.</summary>
    Demands,
}

/// <summary>One demand's place in a cross-validation split.</summary>
/// <param name="Demand">The demand's index in the list that was split.</param>
/// <param name="Fold">Its fold, 0-based.</param>
internal readonly record struct FoldAssignment(int Demand, int Fold);

/// <summary>Splits demands into cross-validation folds by groups that share answers.</summary>
internal static class CrossValidationFolds
{
    /// <summary>Assigns every demand to a fold: the groups (see <see cref="FoldGrouping"/>) are shuffled by
    /// <paramref name="seed"/> and each goes whole to the fold with the fewest demands so far (ties: the lowest fold),
    /// so the split is the same for the same seed and fold sizes stay as even as the groups allow. Returned in that
    /// shuffled order. With <see cref="FoldGrouping.Demands"/> this is a seeded shuffle dealt round-robin.</summary>
    /// <exception cref="ArgumentException">There are fewer groups than folds.</exception>
    public static FoldAssignment[] Assign(IReadOnlyList<string> demandIds, IEnumerable<Judgment> judgments, int folds, int seed, FoldGrouping grouping)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        var groups = Groups(demandIds, judgments, grouping);
        if (groups.Length < folds)
        {
            throw new ArgumentException(
                $"{folds} folds need at least {folds} groups of demands, but the {demandIds.Count} judged demands form {groups.Length} (demands sharing a relevant achievement stay together)");
        }

        new Random(seed).Shuffle(groups);
        var sizes = new int[folds];
        var assignment = new List<FoldAssignment>(demandIds.Count);
        foreach (var group in groups)
        {
            var fold = 0;
            for (var f = 1; f < folds; f++)
            {
                if (sizes[f] < sizes[fold])
                {
                    fold = f;
                }
            }

            sizes[fold] += group.Length;
            assignment.AddRange(group.Select(d => new FoldAssignment(d, fold)));
        }

        return [.. assignment];
    }

    /// <summary>The groups of demand indices, each in input order, ordered by their first demand.</summary>
    internal static int[][] Groups(IReadOnlyList<string> demandIds, IEnumerable<Judgment> judgments, FoldGrouping grouping)
    {
        if (grouping == FoldGrouping.Demands)
        {
            return [.. Enumerable.Range(0, demandIds.Count).Select(i => new[] { i })];
        }

        // Union-find over demands (0..n-1) and the relevant achievements they were judged with (n..).
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < demandIds.Count; i++)
        {
            index.TryAdd(demandIds[i], i);
        }

        var parent = new List<int>(Enumerable.Range(0, demandIds.Count));
        int Find(int x)
        {
            while (parent[x] != x)
            {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }

            return x;
        }

        var achievements = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var judgment in judgments)
        {
            if (judgment.Grade <= 0 || !index.TryGetValue(judgment.DemandId, out var demand))
            {
                continue;
            }

            if (!achievements.TryGetValue(judgment.AchievementId, out var node))
            {
                node = parent.Count;
                parent.Add(node);
                achievements.Add(judgment.AchievementId, node);
            }

            var (a, b) = (Find(demand), Find(node));
            if (a != b)
            {
                // The smaller root wins, so a component's root is its first demand.
                parent[Math.Max(a, b)] = Math.Min(a, b);
            }
        }

        return [.. Enumerable.Range(0, demandIds.Count)
            .GroupBy(Find)
            .OrderBy(g => g.Key)
            .Select(g => g.ToArray())];
    }
}
