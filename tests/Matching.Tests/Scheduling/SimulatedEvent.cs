using Matching.Ingestion;
using Matching.Scheduling;

namespace Matching.Tests.Scheduling;

/// <summary>A simulated matchmaking event with hidden relevance, for measuring agendas against what would really
/// happen: achievements and demands on hidden topics, the model's two-way strengths observed with noise, both sides'
/// stated choices drawn from their hidden interest with noise, and acceptance drawn from the hidden interest.</summary>
/// <remarks>
/// <para>Hidden relevance of achievement a and demand d (40 topics on a ring): 0.6 on the same topic, 0.25 on a
/// neighbouring topic, 0.02 otherwise, each ± uniform 0.1. The model sees it twice with independent noise N(0, 0.2): demand → achievement f and
/// achievement → demand r (clamped to 0–1); pairs where max(f, r) ≥ 0.5 are the evidence (strong matches), as in
/// <c>match</c>.</para>
/// <para>Hidden value of a university–enterprise pair H = 1 − Π(1 − relevance) over its achievement–demand pairs; each
/// side's hidden interest = √H + N(0, 0.25), clamped (what each side knows and the model does not); the meeting is accepted with probability interest_U × interest_E.</para>
/// <para>Stated choices: each side states a choice about each of its evidence pairs with probability 0.6: interest above
/// 0.75 → interested (must-meet with probability mustShare, default 0.1), below 0.35 → no, else nothing; then one statement in ten is replaced
/// by a random choice (noise), and 2 % of pairs are already-met. Both agendas are scored on the same hidden
/// probabilities and the same acceptance draws.</para>
/// </remarks>
internal sealed class SimulatedEvent
{
    private SimulatedEvent(
        IReadOnlyList<MeetingRequest> scoreRequests,
        IReadOnlyList<MeetingRequest> twoWayRequests,
        IReadOnlyList<StatedPreference> preferences,
        Dictionary<(string, string), double> truth,
        Dictionary<(string, string), double> draw)
    {
        ScoreRequests = scoreRequests;
        TwoWayRequests = twoWayRequests;
        Preferences = preferences;
        Truth = truth;
        Draw = draw;
    }

    /// <summary>The requests as the old agenda saw them: pair score only (s₁ + ½s₂ + …, strongest direction).</summary>
    public IReadOnlyList<MeetingRequest> ScoreRequests { get; }

    /// <summary>The same pairs with the two-way model probability P(accept) (as <c>PairAggregator</c> computes it).</summary>
    public IReadOnlyList<MeetingRequest> TwoWayRequests { get; }

    /// <summary>Both sides' stated choices.</summary>
    public IReadOnlyList<StatedPreference> Preferences { get; }

    /// <summary>Hidden acceptance probability per (university, enterprise).</summary>
    public Dictionary<(string, string), double> Truth { get; }

    /// <summary>The uniform draw per pair: the meeting is accepted when the draw is below its hidden probability.</summary>
    public Dictionary<(string, string), double> Draw { get; }

    public static SimulatedEvent Create(int seed, int achievements = 300, int demands = 150, int universities = 30, int enterprises = 50, int topics = 40, double mustShare = 0.1)
    {
        var random = new Random(seed);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var achievementTopic = Enumerable.Range(0, achievements).Select(_ => random.Next(topics)).ToArray();
        var demandTopic = Enumerable.Range(0, demands).Select(_ => random.Next(topics)).ToArray();
        var universityOf = Enumerable.Range(0, achievements).Select(a => $"大学{a % universities:D2}").ToArray();
        var enterpriseOf = Enumerable.Range(0, demands).Select(d => $"企业{d % enterprises:D2}").ToArray();

        var evidence = new Dictionary<(string, string), List<(double F, double R)>>();
        var miss = new Dictionary<(string, string), double>();
        for (var a = 0; a < achievements; a++)
        {
            for (var d = 0; d < demands; d++)
            {
                var distance = Math.Min((achievementTopic[a] - demandTopic[d] + topics) % topics, (demandTopic[d] - achievementTopic[a] + topics) % topics);
                var relevance = Math.Clamp((distance == 0 ? 0.6 : distance == 1 ? 0.25 : 0.02) + ((random.NextDouble() - 0.5) * 0.2), 0, 1);
                var key = (universityOf[a], enterpriseOf[d]);
                miss[key] = miss.GetValueOrDefault(key, 1) * (1 - relevance);
                var f = Math.Clamp(relevance + (0.2 * Gaussian()), 0, 1);
                var r = Math.Clamp(relevance + (0.2 * Gaussian()), 0, 1);
                if (Math.Max(f, r) >= 0.5)
                {
                    (evidence.TryGetValue(key, out var list) ? list : evidence[key] = []).Add((f, r));
                }
            }
        }

        var truth = new Dictionary<(string, string), double>();
        var draw = new Dictionary<(string, string), double>();
        var interest = new Dictionary<(string Organization, string Counterpart), double>();
        foreach (var (key, m) in miss.OrderBy(k => k.Key.Item1, StringComparer.Ordinal).ThenBy(k => k.Key.Item2, StringComparer.Ordinal))
        {
            var h = Math.Sqrt(1 - m);
            var u = Math.Clamp(h + (0.25 * Gaussian()), 0, 1);
            var e = Math.Clamp(h + (0.25 * Gaussian()), 0, 1);
            interest[(key.Item1, key.Item2)] = u;
            interest[(key.Item2, key.Item1)] = e;
            truth[key] = u * e;
            draw[key] = random.NextDouble();
        }

        var scoreRequests = new List<MeetingRequest>();
        var twoWayRequests = new List<MeetingRequest>();
        foreach (var (key, list) in evidence.OrderBy(k => k.Key.Item1, StringComparer.Ordinal).ThenBy(k => k.Key.Item2, StringComparer.Ordinal))
        {
            var strengths = list.Select(x => Math.Max(x.F, x.R)).OrderDescending().ToList();
            var score = Math.Round(strengths.Select((s, i) => s * Math.Pow(0.5, i)).Sum(), 6);
            var p = Math.Round(1 - list.Aggregate(1.0, (acc, x) => acc * (1 - Math.Sqrt(x.F * x.R))), 6);
            scoreRequests.Add(new MeetingRequest(key.Item1, key.Item2, score));
            twoWayRequests.Add(new MeetingRequest(key.Item1, key.Item2, score) { Acceptance = p });
        }

        PreferenceChoice[] all = [PreferenceChoice.MustMeet, PreferenceChoice.Interested, PreferenceChoice.No];
        var preferences = new List<StatedPreference>();
        foreach (var request in scoreRequests)
        {
            if (random.NextDouble() < 0.02)
            {
                preferences.Add(new StatedPreference(request.University, request.Enterprise, PreferenceChoice.AlreadyMet));
                truth[(request.University, request.Enterprise)] = 0;
                continue;
            }

            foreach (var (side, other) in new[] { (request.University, request.Enterprise), (request.Enterprise, request.University) })
            {
                if (random.NextDouble() >= 0.6)
                {
                    continue;
                }

                var level = interest[(side, other)];
                PreferenceChoice? choice = level > 0.75 ? (random.NextDouble() < mustShare ? PreferenceChoice.MustMeet : PreferenceChoice.Interested)
                    : level < 0.35 ? PreferenceChoice.No
                    : null;
                if (random.NextDouble() < 0.1)
                {
                    choice = all[random.Next(all.Length)];
                }

                if (choice is { } c)
                {
                    preferences.Add(new StatedPreference(side, other, c));
                }
            }
        }

        return new SimulatedEvent(scoreRequests, twoWayRequests, preferences, truth, draw);
    }

    /// <summary>Expected accepted meetings (sum of hidden probabilities) and accepted meetings under the draws.</summary>
    public (double Expected, int Accepted) Score(Agenda agenda)
    {
        var expected = 0.0;
        var accepted = 0;
        foreach (var m in agenda.Meetings)
        {
            var key = Truth.ContainsKey((m.University, m.Enterprise)) ? (m.University, m.Enterprise) : (m.Enterprise, m.University);
            var p = Truth.GetValueOrDefault(key);
            expected += p;
            accepted += Draw.GetValueOrDefault(key, 1) < p ? 1 : 0;
        }

        return (expected, accepted);
    }
}
