using Matching.Aggregation;
using Matching.Engine;
using Matching.Features;
using Matching.Ranking;
using Matching.Reporting;

namespace Matching.Tests.Ranking;

/// <summary>Strength is a calibrated probability: the formula, the fit, the list features of an answer-removed list,
/// and the behaviour that matters at an event — a catalogue of another field gives no strong matches, and the right
/// answer planted in it comes out strong.</summary>
public sealed class StrengthCalibrationTests
{
    private static int Index(string feature) => PairFeatures.Names.ToList().IndexOf(feature);

    private static float[] Row(params (string Feature, float Value)[] values)
    {
        var row = new float[PairFeatures.Count];
        foreach (var (feature, value) in values)
        {
            row[Index(feature)] = value;
        }

        return row;
    }

    [Test]
    public void Probability_is_the_logistic_of_the_standardised_inputs()
    {
        var calibration = new StrengthCalibration
        {
            Inputs = ["score", "log_bm25_rank", "idf_coverage_demand"],
            Means = [1.0, 0.0, 0.5],
            Scales = [2.0, 1.0, 0.25],
            Weights = [1.0, -0.5, 2.0],
            Bias = -1.0,
        };
        var row = Row(("bm25_rank", 3f), ("idf_coverage_demand", 0.75f));

        // z = −1 + 1·(3 − 1)/2 − 0.5·ln 3 + 2·(0.75 − 0.5)/0.25 = −1 + 1 − 0.549306 + 2 = 1.450694
        Assert.That(calibration.Probability(row, score: 3.0), Is.EqualTo(1 / (1 + Math.Exp(-1.4506938))).Within(1e-6));
        Assert.That(calibration.UsesScore, Is.True);
        Assert.That(calibration with { }, Is.EqualTo(calibration), "equal by value after use");
    }

    [Test]
    public void A_calibration_naming_an_unknown_input_is_refused()
    {
        var calibration = new StrengthCalibration { Inputs = ["score", "no_such_feature"], Means = [0, 0], Scales = [1, 1], Weights = [1, 1], Bias = 0 };
        var error = Assert.Throws<ModelFormatException>(() => calibration.Validate("m.zip"));
        Assert.That(error!.Message, Does.Contain("m.zip").And.Contain("no_such_feature"));

        var mismatched = new StrengthCalibration { Inputs = ["score"], Means = [0], Scales = [0], Weights = [1], Bias = 0 };
        Assert.Throws<ModelFormatException>(() => mismatched.Validate("m.zip"));
    }

    [Test]
    public void Fitted_probabilities_rise_with_the_evidence_and_match_the_observed_rates()
    {
        // Relevance depends on coverage: p(relevant) = coverage, drawn deterministically.
        var random = new Random(7);
        var pairs = new List<CalibrationPair>();
        for (var i = 0; i < 4000; i++)
        {
            var coverage = (float)random.NextDouble();
            var row = Row(("idf_coverage_demand", coverage), ("bm25_rank", 1 + (i % 10)));
            pairs.Add(new CalibrationPair(row, Score: 0, Relevant: random.NextDouble() < coverage));
        }

        var fitted = StrengthCalibration.Fit(["idf_coverage_demand", "log_bm25_rank"], pairs);

        var low = fitted.Probability(Row(("idf_coverage_demand", 0.1f), ("bm25_rank", 1f)), 0);
        var high = fitted.Probability(Row(("idf_coverage_demand", 0.9f), ("bm25_rank", 1f)), 0);
        Assert.That(low, Is.LessThan(0.2));
        Assert.That(high, Is.GreaterThan(0.8));
        Assert.That(fitted.Pairs, Is.EqualTo(4000));
        Assert.That(fitted.RelevantPairs, Is.EqualTo(pairs.Count(p => p.Relevant)));
        Assert.That(fitted.Reliability.Sum(b => b.Pairs), Is.EqualTo(4000));
        foreach (var bin in fitted.Reliability.Where(b => b.Pairs >= 200))
        {
            Assert.That(bin.Observed, Is.EqualTo(bin.MeanPredicted).Within(0.1), $"bin [{bin.Low}, {bin.High})");
        }

        // Deterministic: the same pairs give the same weights.
        Assert.That(StrengthCalibration.Fit(["idf_coverage_demand", "log_bm25_rank"], pairs).Weights, Is.EqualTo(fitted.Weights));
    }

    [Test]
    public void Fitting_needs_both_relevant_and_non_relevant_pairs()
    {
        var pairs = new[] { new CalibrationPair(Row(), 0, true), new CalibrationPair(Row(), 0, true) };
        Assert.Throws<InvalidOperationException>(() => StrengthCalibration.Fit(["bm25_norm"], pairs));
    }

    [Test]
    public void Reliability_bins_count_mean_and_observed_share()
    {
        var table = ReliabilityBin.Table([(0.05, false), (0.15, false), (0.12, true), (0.95, true), (1.0, true)]);
        Assert.That(table, Has.Count.EqualTo(10));
        Assert.That(table[0], Is.EqualTo(new ReliabilityBin(0, 0.1, 1, 0.05, 0)));
        Assert.That(table[1], Is.EqualTo(new ReliabilityBin(0.1, 0.2, 2, 0.135, 0.5)));
        Assert.That(table[9], Is.EqualTo(new ReliabilityBin(0.9, 1, 2, 0.975, 1)));
    }

    [Test]
    public void A_list_without_its_answer_gets_its_rank_and_share_of_the_best_recomputed()
    {
        var n = PairFeatures.Count;
        var rows = new float[3 * n];
        rows[Index("bm25")] = 4f;
        rows[n + Index("bm25")] = 8f;
        rows[(2 * n) + Index("bm25")] = 2f;

        CalibrationSet.RecomputeListFeatures(rows, 3);

        Assert.That(new[] { rows[Index("bm25_rank")], rows[n + Index("bm25_rank")], rows[(2 * n) + Index("bm25_rank")] }, Is.EqualTo(new[] { 2f, 1f, 3f }));
        Assert.That(new[] { rows[Index("bm25_norm")], rows[n + Index("bm25_norm")], rows[(2 * n) + Index("bm25_norm")] }, Is.EqualTo(new[] { 0.5f, 1f, 0.25f }));
    }

    [Test]
    public void The_shipped_model_is_calibrated_on_held_out_lists()
    {
        var metadata = RankerModel.LoadDefault().Metadata;
        Assert.That(metadata.Strength, Is.Not.Null, "the shipped model carries a reranked calibration");
        Assert.That(metadata.Bm25Strength, Is.Not.Null, "and one for BM25 lists");
        Assert.That(metadata.Strength!.UsesScore, Is.True);
        Assert.That(metadata.Bm25Strength!.UsesScore, Is.False);
        Assert.That(metadata.Strength.Pairs, Is.GreaterThan(1000));
        Assert.That(metadata.Strength.Reliability.Sum(b => b.Pairs), Is.EqualTo(metadata.Strength.Pairs));
    }

    /// <summary>The sample's demands of one industry against the sample's achievements of an unrelated field.</summary>
    private static (List<Demand> Demands, List<Achievement> Catalogue, List<Achievement> Answers) CrossField(string industry, string field)
    {
        var demands = SampleEvent.Demands.Where(d => d.Industry == industry).ToList();
        var catalogue = SampleEvent.Achievements.Where(a => a.Field == field).ToList();
        var answerIds = SampleEvent.BestPairs.Where(j => demands.Any(d => d.Id == j.DemandId)).Select(j => j.AchievementId).ToHashSet();
        var answers = SampleEvent.Achievements.Where(a => answerIds.Contains(a.Id)).ToList();
        return (demands, catalogue, answers);
    }

    private static EventResult Plan(IReadOnlyList<Demand> demands, IReadOnlyList<Achievement> achievements, bool reranked)
    {
        var model = RankerModel.LoadDefault();
        using var engine = MatchingEngine.Create(achievements, demands, new EngineOptions
        {
            Ranker = reranked ? model : null,
            Bm25Strength = reranked ? null : model.Metadata.Bm25Strength,
        });
        return EventPlanner.Plan(engine, demands, achievements, new EventOptions { Agenda = null }, topK: 5, run: new EventRunOptions { WithReport = false, Threads = 1 });
    }

    [TestCase("新能源", "生物医药", true)]
    [TestCase("生物医药", "新能源", true)]
    [TestCase("现代农业", "先进制造", true)]
    [TestCase("新能源", "生物医药", false)]
    [TestCase("现代农业", "先进制造", false)]
    public void A_catalogue_of_another_field_gives_no_strong_match_and_a_planted_answer_comes_out_strong(string industry, string field, bool reranked)
    {
        var (demands, catalogue, answers) = CrossField(industry, field);
        Assert.That(demands, Has.Count.GreaterThanOrEqualTo(7));
        Assert.That(catalogue, Has.Count.EqualTo(15));

        var unrelated = Plan(demands, catalogue, reranked);
        var strong = unrelated.Strengths.Count(s => s.Value >= 0.5);
        Assert.That(strong, Is.LessThanOrEqualTo(1), $"strong matches against {field}: " + string.Join(", ", unrelated.Strengths.Where(s => s.Value >= 0.5).Select(s => $"{s.Key} {s.Value:0.00}")));
        Assert.That(unrelated.Report.Pairs, Has.Count.LessThanOrEqualTo(1), "no university–enterprise pair rests on weak evidence");
        Assert.That(unrelated.Report.ManualMatching.DemandCount, Is.GreaterThanOrEqualTo(demands.Count - 1), "the demands are listed for manual matching");

        var planted = Plan(demands, [.. catalogue, .. answers], reranked);
        var pairs = SampleEvent.BestPairs.Where(j => demands.Any(d => d.Id == j.DemandId)).ToList();
        var first = pairs.Count(j => planted.Matches.ByDemand.Single(q => q.QueryId == j.DemandId).Candidates[0].Id == j.AchievementId);
        var found = pairs.Count(j => planted.Strengths.TryGetValue((j.DemandId, j.AchievementId), out var s) && s >= 0.5);
        Assert.That(first, Is.EqualTo(pairs.Count), "every planted answer is its demand's first recommendation");
        // Calibrated on CSL (keywords and title-like queries), the probability is conservative for a long enterprise
        // description: most planted answers are strong, the rest are listed for manual matching with the answer as the
        // closest candidate.
        Assert.That(found, Is.GreaterThanOrEqualTo((int)Math.Ceiling(0.75 * pairs.Count)), "the planted answers are strong");
    }

    [Test]
    public void Only_strong_matches_are_evidence_for_a_pair()
    {
        var demand = new Demand { Id = "D1", Title = "t", Organization = "企业甲" };
        var strong = new Achievement { Id = "A1", Title = "a", Organization = "大学乙" };
        var weak = new Achievement { Id = "A2", Title = "b", Organization = "大学丙" };
        var pairs = PairAggregator.Aggregate(
            [(demand, strong, 1, 0.8), (demand, weak, 2, 0.45), (demand, weak, 3, 0.3)],
            new PairFilters { MinPairScore = 0 },
            minEvidence: 0.5);
        Assert.That(pairs.Select(p => (p.University, p.Enterprise, p.Score)), Is.EqualTo(new[] { ("大学乙", "企业甲", 0.8) }));
    }
}
