using System.Globalization;

namespace Matching.Ingestion;

/// <summary>The organisations, demands and achievements of an event, for resolving the names and ids a preferences or
/// confirmed-meetings file uses.</summary>
/// <param name="Organizations">Every organisation name of the event.</param>
/// <param name="DemandOrganizations">Demand id → its organisation (the enterprise).</param>
/// <param name="AchievementOrganizations">Achievement id → its organisation (the university).</param>
public sealed record EventDirectory(
    IReadOnlySet<string> Organizations,
    IReadOnlyDictionary<string, string> DemandOrganizations,
    IReadOnlyDictionary<string, string> AchievementOrganizations);

/// <summary>Reads both sides' stated choices about meeting each other from a CSV, TSV or XLSX file.</summary>
/// <remarks>
/// <para>Columns (headers in English or Chinese, matched like the record files'): <c>organization</c> (单位/机构) — who
/// states the choice; <c>counterpart</c> (对方/对接方/对方单位, or 需求编号/成果编号 …) — whom it is about: an
/// organisation name, a demand id or an achievement id (an id stands for its organisation); <c>choice</c>
/// (选择/意向/意愿) — one of must-meet (必见, must, 必须见), interested (想见, 感兴趣, 意向, yes), no (不见, veto, 否,
/// 拒绝) or already-met (已对接, 已见, met). Other columns are ignored; rows may come from either side, in any order.</para>
/// <para>Names are trimmed and compared exactly. A name or id the event does not know is an error naming file, line and
/// field with the closest known names; so is a choice outside the list (the message lists the allowed values).</para>
/// </remarks>
public static class PreferenceReader
{
    private static readonly (string Field, string[] Aliases)[] Columns =
    [
        ("organization", ["organization", "organisation", "单位", "机构", "機構", "单位名称", "机构名称", "提出单位", "本方", "本方单位"]),
        ("counterpart", ["counterpart", "对方", "對方", "對接方", "對方單位", "对接方", "对方单位", "对接单位", "对象", "counterpart_id", "demand_id", "achievement_id", "需求编号", "成果编号", "对方编号"]),
        ("choice", ["choice", "preference", "选择", "選擇", "意向", "意愿", "意願", "偏好"]),
    ];

    private static readonly (PreferenceChoice Choice, string[] Words)[] Words =
    [
        (PreferenceChoice.MustMeet, ["must-meet", "must", "mustmeet", "must meet", "必见", "必須見", "必须见", "必须", "必見", "一定要见"]),
        (PreferenceChoice.Interested, ["interested", "interest", "yes", "want", "想见", "想見", "感兴趣", "感興趣", "有意向", "意向", "希望见"]),
        (PreferenceChoice.No, ["no", "veto", "not-interested", "not interested", "不见", "不見", "否", "拒绝", "拒絕", "不想见"]),
        (PreferenceChoice.AlreadyMet, ["already-met", "already met", "met", "alreadymet", "已对接", "已對接", "已见", "已見", "已合作"]),
    ];

    /// <summary>The allowed choices, as messages list them.</summary>
    public const string Allowed = "must-meet/必见, interested/想见, no/不见, already-met/已对接";

    /// <summary>Reads the file, resolving counterparts through <paramref name="directory"/>.</summary>
    /// <param name="path">The preferences file (.csv, .tsv or .xlsx).</param>
    /// <param name="directory">The event's organisations and ids.</param>
    /// <exception cref="InputFormatException">A missing column, an empty cell, an unknown organisation or id, a choice
    /// outside <see cref="Allowed"/>, or an organisation stating a choice about itself; with file and line.</exception>
    public static IReadOnlyList<StatedPreference> Read(string path, EventDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var result = new List<StatedPreference>();
        foreach (var (line, values) in SideFileRows.Read(path, Columns, required: 3))
        {
            var (organization, counterpart, choiceText) = (values[0], values[1], values[2]);
            if (organization.Length == 0)
            {
                throw new InputFormatException(path, line, "organization", "empty");
            }

            if (!directory.Organizations.Contains(organization))
            {
                throw new InputFormatException(path, line, "organization", Unknown(organization, directory), organization);
            }

            if (counterpart.Length == 0)
            {
                throw new InputFormatException(path, line, "counterpart", "empty");
            }

            var other = Resolve(path, line, counterpart, directory);
            if (other == organization)
            {
                throw new InputFormatException(path, line, "counterpart", "an organisation cannot state a choice about itself", counterpart);
            }

            var choice = ParseChoice(choiceText) ?? throw new InputFormatException(path, line, "choice",
                choiceText.Length == 0 ? $"empty; allowed: {Allowed}" : $"not a known choice; allowed: {Allowed}", choiceText);
            result.Add(new StatedPreference(organization, other, choice));
        }

        return result;
    }

    /// <summary>The choice a cell means, or null.</summary>
    /// <param name="text">The cell.</param>
    public static PreferenceChoice? ParseChoice(string text)
    {
        var key = HeaderName.FormKC(text).Trim().ToLowerInvariant().Replace('_', '-');
        foreach (var (choice, words) in Words)
        {
            if (words.Contains(key, StringComparer.Ordinal))
            {
                return choice;
            }
        }

        return null;
    }

    /// <summary>The organisation a counterpart cell names: an organisation name first, then a demand id, then an
    /// achievement id.</summary>
    private static string Resolve(string path, int line, string counterpart, EventDirectory directory)
    {
        if (directory.Organizations.Contains(counterpart))
        {
            return counterpart;
        }

        var demand = directory.DemandOrganizations.GetValueOrDefault(counterpart);
        var achievement = directory.AchievementOrganizations.GetValueOrDefault(counterpart);
        if (demand is not null && achievement is not null && demand != achievement)
        {
            throw new InputFormatException(path, line, "counterpart",
                $"ambiguous: demand {counterpart} belongs to {demand} and achievement {counterpart} to {achievement}; name the organisation instead", counterpart);
        }

        return demand ?? achievement ?? throw new InputFormatException(path, line, "counterpart", Unknown(counterpart, directory), counterpart);
    }

    private static string Unknown(string name, EventDirectory directory) => string.Create(CultureInfo.InvariantCulture,
        $"no organisation, demand id or achievement id of this event (closest: {string.Join("、", OrganizationNames.Closest(name, directory.Organizations.Concat(directory.DemandOrganizations.Keys).Concat(directory.AchievementOrganizations.Keys), 3))})");
}
