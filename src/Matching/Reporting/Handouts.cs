using System.Globalization;
using System.Text;
using Matching.Aggregation;
using Matching.Scheduling;

namespace Matching.Reporting;

/// <summary>A meeting with what the two sides need to hold it: the topic — the strongest demand ↔ achievement
/// evidence of the university–enterprise pair — and both sides' contacts.</summary>
/// <param name="Meeting">The meeting.</param>
/// <param name="Topic">The pair's strongest evidence, or null when the report does not hold the pair (an agenda
/// planned from a pair list alone, or a pair beyond a cut report's pair list).</param>
/// <param name="UniversityContact">The topic achievement's contact, else the first contact of the university's
/// achievements (input order), or null.</param>
/// <param name="EnterpriseContact">The topic demand's contact, else the first of the enterprise's demands, or null.</param>
internal sealed record MeetingBrief(Meeting Meeting, PairEvidence? Topic, RecordContact? UniversityContact, RecordContact? EnterpriseContact)
{
    /// <summary>"需求标题 ↔ 成果标题", or empty without a topic.</summary>
    public string TopicText => Topic is null ? "" : $"{Topic.DemandTitle} ↔ {Topic.AchievementTitle}";
}

/// <summary>Looks up topics and contacts for meetings from a report's pairs and contact lists.</summary>
internal sealed class MeetingBriefs
{
    private readonly Dictionary<(string University, string Enterprise), PairEvidence> _topics = [];
    private readonly Dictionary<string, RecordContact> _demands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RecordContact> _achievements = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RecordContact> _enterprises = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RecordContact> _universities = new(StringComparer.Ordinal);

    private MeetingBriefs()
    {
    }

    /// <summary>No topics and no contacts (an agenda planned from a pair list alone).</summary>
    public static MeetingBriefs None { get; } = new();

    /// <summary>The topics and contacts <paramref name="report"/> holds.</summary>
    public static MeetingBriefs Of(EventReport report)
    {
        var briefs = new MeetingBriefs();
        foreach (var pair in report.Pairs)
        {
            if (pair.Evidence.Count > 0)
            {
                briefs._topics.TryAdd((pair.University, pair.Enterprise), pair.Evidence[0]);
            }
        }

        foreach (var contact in report.DemandContacts ?? [])
        {
            briefs._demands.TryAdd(contact.Id, contact);
            briefs._enterprises.TryAdd(contact.Organization, contact);
        }

        foreach (var contact in report.AchievementContacts ?? [])
        {
            briefs._achievements.TryAdd(contact.Id, contact);
            briefs._universities.TryAdd(contact.Organization, contact);
        }

        return briefs;
    }

    /// <summary>The meeting with its topic and contacts.</summary>
    public MeetingBrief For(Meeting meeting)
    {
        var topic = _topics.GetValueOrDefault((meeting.University, meeting.Enterprise));
        var university = topic is not null && _achievements.TryGetValue(topic.AchievementId, out var a) ? a : _universities.GetValueOrDefault(meeting.University);
        var enterprise = topic is not null && _demands.TryGetValue(topic.DemandId, out var d) ? d : _enterprises.GetValueOrDefault(meeting.Enterprise);
        return new MeetingBrief(meeting, topic, university, enterprise);
    }

    /// <summary>The contact of an unmatched record, when its row gives one.</summary>
    public RecordContact? ContactOf(UnmatchedRecord record, bool isDemand) =>
        (isDemand ? _demands : _achievements).GetValueOrDefault(record.Id);
}

/// <summary>One organisation's printable schedule: its meetings in slot order with topics and contacts, and its
/// records that need manual matching.</summary>
/// <param name="Organization">The organisation.</param>
/// <param name="IsUniversity">Whether it is on the achievements' side.</param>
/// <param name="Meetings">Its meetings by slot, then table.</param>
/// <param name="Unmatched">Its demands (enterprise) or achievements (university) without a strong match, in input order.</param>
internal sealed record OrganizationHandout(string Organization, bool IsUniversity, IReadOnlyList<MeetingBrief> Meetings, IReadOnlyList<UnmatchedRecord> Unmatched)
{
    /// <summary>Every organisation with a meeting: universities first, then enterprises, each by name (ordinal).</summary>
    public static IReadOnlyList<OrganizationHandout> From(EventReport report, MeetingBriefs briefs)
    {
        if (report.Agenda is not { } agenda)
        {
            return [];
        }

        var manual = report.ManualMatching;
        var demands = manual.Demands.ToLookup(u => OrganizationOf(u), StringComparer.Ordinal);
        var achievements = manual.Achievements.ToLookup(u => OrganizationOf(u), StringComparer.Ordinal);
        return [.. OrganizationSchedule.From(agenda.Meetings).Select(s => new OrganizationHandout(
            s.Organization,
            s.IsUniversity,
            [.. s.Meetings.Select(briefs.For)],
            [.. (s.IsUniversity ? achievements : demands)[s.Organization]]))];
    }

    /// <summary>The organisation an unmatched record is listed under (the placeholder the pairs use when it has none).</summary>
    private static string OrganizationOf(UnmatchedRecord u) => u.Organization.Length > 0 ? u.Organization : $"（未填写单位：{u.Id}）";
}

/// <summary>The university-side view: for one university, which demands its achievements answer strongly.</summary>
/// <param name="University">The university.</param>
/// <param name="Achievements">Its achievements with a strong match, the strongest first.</param>
internal sealed record UniversityAnswers(string University, IReadOnlyList<AchievementAnswers> Achievements)
{
    /// <summary>Every university with strong evidence in <paramref name="report"/>'s pairs, by name (ordinal); for each,
    /// its achievements by their best strength (then id), each with the demands it answers, strongest first (then
    /// demand id). Only strong matches count, as for the pairs.</summary>
    public static IReadOnlyList<UniversityAnswers> From(EventReport report)
    {
        var strong = report.Summary.StrongThreshold;
        return [.. report.Pairs
            .SelectMany(p => p.Evidence.Where(e => e.Strength >= strong).Select(e => (p.University, p.Enterprise, Evidence: e)))
            .GroupBy(x => x.University, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(u => new UniversityAnswers(u.Key, [.. u
                .GroupBy(x => x.Evidence.AchievementId, StringComparer.Ordinal)
                .Select(a => new AchievementAnswers(a.Key, a.First().Evidence.AchievementTitle, [.. a
                    .OrderByDescending(x => x.Evidence.Strength)
                    .ThenBy(x => x.Evidence.DemandId, StringComparer.Ordinal)
                    .Select(x => new DemandAnswer(x.Evidence.DemandId, x.Evidence.DemandTitle, x.Enterprise, x.Evidence.Strength))]))
                .OrderByDescending(a => a.Demands[0].Strength)
                .ThenBy(a => a.Id, StringComparer.Ordinal)]))];
    }
}

/// <summary>An achievement and the demands it answers.</summary>
/// <param name="Id">The achievement's id.</param>
/// <param name="Title">Its title.</param>
/// <param name="Demands">The demands, strongest first.</param>
internal sealed record AchievementAnswers(string Id, string Title, IReadOnlyList<DemandAnswer> Demands);

/// <summary>A demand an achievement answers.</summary>
/// <param name="Id">The demand's id.</param>
/// <param name="Title">Its title.</param>
/// <param name="Enterprise">Its enterprise.</param>
/// <param name="Strength">The match strength.</param>
internal sealed record DemandAnswer(string Id, string Title, string Enterprise, double Strength);

/// <summary>Excel's rules for sheet names: at most 31 characters, none of <c>: \ / ? * [ ]</c>, not starting or ending
/// with an apostrophe, not "History", unique ignoring case.</summary>
internal static class SheetNames
{
    /// <summary>Characters a sheet name holds.</summary>
    public const int MaxLength = 31;

    /// <summary>A valid sheet name for <paramref name="name"/> not in <paramref name="taken"/> (compared ignoring case),
    /// added to it: forbidden and control characters become "_", and a clash gets " (2)", " (3)", … with the name cut
    /// to make room (never inside a surrogate pair).</summary>
    public static string Unique(string name, ISet<string> taken)
    {
        var clean = Clean(name);
        var candidate = clean;
        for (var n = 2; !taken.Add(candidate.ToUpperInvariant()); n++)
        {
            var suffix = $" ({n.ToString(CultureInfo.InvariantCulture)})";
            candidate = Cut(clean, MaxLength - suffix.Length).TrimEnd('\'') + suffix;
        }

        return candidate;
    }

    /// <summary>The set <see cref="Unique"/> expects: names compared ignoring case, as Excel does.</summary>
    public static HashSet<string> Taken(IEnumerable<string> names) => [.. names.Select(n => n.ToUpperInvariant())];

    private static string Clean(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(c is ':' or '\\' or '/' or '?' or '*' or '[' or ']' || char.IsControl(c) ? '_' : c);
        }

        var clean = Cut(builder.ToString().Trim(), MaxLength).Trim().Trim('\'');
        if (clean.Length == 0)
        {
            return "单位";
        }

        return clean.Equals("History", StringComparison.OrdinalIgnoreCase) ? clean + "_" : clean;
    }

    private static string Cut(string text, int length)
    {
        if (text.Length <= length)
        {
            return text;
        }

        return char.IsHighSurrogate(text[length - 1]) ? text[..(length - 1)] : text[..length];
    }
}
