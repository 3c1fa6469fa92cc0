using System.Text.Json.Serialization;
using Matching.Aggregation;
using Matching.Ingestion;
using Matching.Scheduling;
using Matching.Ranking;

namespace Matching.Reporting;

/// <summary>Everything the event report shows; the HTML, XLSX and JSON writers render this and nothing else.</summary>
public sealed record EventReport
{
    /// <summary>The report's title, e.g. the event name.</summary>
    public required string Title { get; init; }

    /// <summary>Counts and coverage.</summary>
    public required ReportSummary Summary { get; init; }

    /// <summary>University–enterprise pairs, best first.</summary>
    public required IReadOnlyList<PairScore> Pairs { get; init; }

    /// <summary>A card per demand with its top achievements and explanations, in input order.</summary>
    public required IReadOnlyList<DemandCard> Demands { get; init; }

    /// <summary>The meeting agenda, when one was planned.</summary>
    public Agenda? Agenda { get; init; }

    /// <summary>Demands and achievements with no strong match: no good match — they need manual matching.</summary>
    public ManualMatching ManualMatching { get; init; } = ManualMatching.None;

    /// <summary>Ranking method, e.g. "BM25 top 100, reranked by matching-ranker.zip".</summary>
    public required string Method { get; init; }

    /// <summary>How many records of each input file were accepted with a data-quality problem, per kind (see
    /// <see cref="ReadResult{T}.DataQuality"/>); <see langword="null"/> when none was (or none was counted), and then
    /// left out of the report files, so a clean event's report reads as before.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<DataQualityCount>? DataQuality { get; init; }

    /// <summary>Contacts of the demands whose input rows give one (联系人/电话/邮箱 …, see <see cref="RecordContact"/>), in
    /// input order; null when none does (and then left out of report.json). The schedules print them beside each meeting.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<RecordContact>? DemandContacts { get; init; }

    /// <summary>Contacts of the achievements whose input rows give one, in input order; null when none does.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<RecordContact>? AchievementContacts { get; init; }

    /// <summary>What this report leaves out to stay openable (see <see cref="ReportOptions"/>); null when it holds everything.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ReportCuts? Cuts { get; init; }
}

/// <summary>How many records of one input file have one kind of data-quality problem.</summary>
/// <param name="File">The input file as given.</param>
/// <param name="Kind">The problem.</param>
/// <param name="Records">Records of the file with it.</param>
public sealed record DataQualityCount(
    string File,
    [property: JsonConverter(typeof(JsonStringEnumConverter<DataQualityKind>))] DataQualityKind Kind,
    int Records);

/// <summary>Headline numbers of an event.</summary>
/// <param name="Achievements">Achievements matched.</param>
/// <param name="Demands">Demands matched.</param>
/// <param name="Universities">Distinct achievement organisations.</param>
/// <param name="Enterprises">Distinct demand organisations.</param>
/// <param name="DemandsWithStrongMatch">Demands with an achievement of strength ≥ <paramref name="StrongThreshold"/>.</param>
/// <param name="StrongThreshold">The strength that counts as a strong match.</param>
/// <param name="ByIndustry">Coverage per demand industry.</param>
/// <param name="ByRegion">Coverage per demand region.</param>
public sealed record ReportSummary(
    int Achievements,
    int Demands,
    int Universities,
    int Enterprises,
    int DemandsWithStrongMatch,
    double StrongThreshold,
    IReadOnlyList<CoverageRow> ByIndustry,
    IReadOnlyList<CoverageRow> ByRegion);

/// <summary>Records no recommendation reaches the strong-match threshold for: the organiser finds them a
/// counterpart by hand (or accepts there is none at this event).</summary>
/// <param name="Threshold">The strength a strong match needs.</param>
/// <param name="Demands">Demands with no achievement at or above it, in input order.</param>
/// <param name="Achievements">Achievements with no demand at or above it (either direction's recommendations), in input order.</param>
/// <param name="AchievementsChecked">False when achievements were not run as queries (<c>--direction demands</c>):
/// an achievement is then listed when no demand's recommendations hold it strongly.</param>
/// <param name="DemandCount">Demands needing manual matching in the whole event (the HTML and JSON may list fewer).</param>
/// <param name="AchievementCount">Achievements needing manual matching in the whole event.</param>
public sealed record ManualMatching(
    double Threshold,
    IReadOnlyList<UnmatchedRecord> Demands,
    IReadOnlyList<UnmatchedRecord> Achievements,
    bool AchievementsChecked,
    int DemandCount,
    int AchievementCount)
{
    /// <summary>An empty list (a report written before the lists existed).</summary>
    public static ManualMatching None { get; } = new(0, [], [], false, 0, 0);
}

/// <summary>A demand or achievement without a strong match, with its best (weak) candidate.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Title">Its title.</param>
/// <param name="Organization">Its organisation.</param>
/// <param name="BestId">The best candidate's id, or empty when nothing was retrieved.</param>
/// <param name="BestTitle">The best candidate's title.</param>
/// <param name="BestStrength">The best candidate's strength (0 when none).</param>
public sealed record UnmatchedRecord(string Id, string Title, string Organization, string BestId, string BestTitle, double BestStrength);

/// <summary>How many demands of one industry or region have a strong match.</summary>
/// <param name="Name">Industry or region ("未填写" when not given).</param>
/// <param name="Demands">Demands in the group.</param>
/// <param name="WithStrongMatch">Of those, with a strong match.</param>
public sealed record CoverageRow(string Name, int Demands, int WithStrongMatch);

/// <summary>A demand and its recommended achievements.</summary>
/// <param name="Demand">The demand.</param>
/// <param name="Recommendations">Best first.</param>
public sealed record DemandCard(Demand Demand, IReadOnlyList<Recommendation> Recommendations);

/// <summary>One recommended achievement with the evidence for it.</summary>
/// <param name="Achievement">The achievement.</param>
/// <param name="Rank">1-based rank for the demand.</param>
/// <param name="Score">The ranking score (reranker or BM25).</param>
/// <param name="Strength">The probability (0–1) that the pair is a useful match, calibrated on held-out judged data and
/// comparable across demands and events (see <see cref="Ranking.StrengthCalibration"/>; an uncalibrated model maps its
/// score instead, see <see cref="PairAggregator"/>).</param>
/// <param name="Explanation">Matched terms, highlighted snippets and feature contributions.</param>
public sealed record Recommendation(Achievement Achievement, int Rank, double Score, double Strength, Explanation Explanation);
