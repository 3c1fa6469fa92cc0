using System.Data;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Matching.Scheduling;
using MiniExcelLibs;
using MiniExcelLibs.OpenXml;

namespace Matching.Reporting;

/// <summary>Writes an <see cref="EventReport"/> as one XLSX workbook, a sheet per table.</summary>
/// <remarks>Numbers are number cells; every text cell goes through <see cref="CsvTable.SpreadsheetSafe"/>
/// so a title such as <c>=HYPERLINK(…)</c> stays text. MiniExcel stamps each zip entry with the time of writing and
/// names each sheet's relationship with a fresh GUID, so its package is copied into one with fixed entry times and
/// numbered ids: the same report then gives the same bytes.</remarks>
internal static partial class WorkbookWriter
{
    internal const string SummarySheet = "摘要";
    internal const string IndustrySheet = "行业覆盖";
    internal const string RegionSheet = "地区覆盖";
    internal const string PairsSheet = "校企配对";
    internal const string RecommendationsSheet = "推荐明细";
    internal const string ManualSheet = "需人工匹配";
    internal const string MeetingsSheet = "会议日程";

    /// <summary>The must-meets the agenda could not hold (a sheet only when there are some).</summary>
    internal const string MustMeetSheet = "必见未安排";
    internal const string OrganizationsSheet = "单位日程";
    internal const string UniversityViewSheet = "高校视角";

    /// <summary>Feature contributions listed per recommendation.</summary>
    internal const int MaxContributions = 3;

    /// <summary>The timestamp of every zip entry: the earliest a zip (DOS) date can hold.</summary>
    internal static readonly DateTimeOffset ZipEpoch = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Writes the workbook to <paramref name="output"/>, which stays open. A table longer than
    /// <paramref name="sheetRows"/> data rows continues on sheets named "推荐明细 (2)", "推荐明细 (3)", …, and the
    /// summary sheet says so, so no sheet passes Excel's 1,048,576 rows. The first <paramref name="organizations"/>
    /// organisations with meetings (universities, then enterprises, by name) get a printable sheet each, named after
    /// the organisation (made valid and unique, see <see cref="SheetNames"/>); every organisation is in 单位日程.</summary>
    public static void Write(EventReport report, Stream output, int sheetRows = ReportOptions.MaxSheetRows, int organizations = 200)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(organizations);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(sheetRows, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sheetRows, ReportOptions.MaxSheetRows);

        var tables = new List<(string Name, DataTable Table)>
        {
            (IndustrySheet, Coverage("行业", report.Summary.ByIndustry)),
            (RegionSheet, Coverage("地区", report.Summary.ByRegion)),
            (PairsSheet, Pairs(report)),
            (RecommendationsSheet, Recommendations(report)),
            (ManualSheet, Manual(report.ManualMatching)),
            (UniversityViewSheet, UniversityView(report)),
        };
        var briefs = MeetingBriefs.Of(report);
        var handouts = OrganizationHandout.From(report, briefs);
        if (report.Agenda is { } agenda)
        {
            tables.Add((MeetingsSheet, WithTimes(Meetings(agenda, briefs), agenda)));
            tables.Add((OrganizationsSheet, WithTimes(Organizations(handouts), agenda)));
            if (agenda.MustMeetUnscheduled.Count > 0)
            {
                tables.Add((MustMeetSheet, MustMeets(agenda)));
            }
        }

        var summary = Summary(report);
        var sheets = new OrderedDictionary<string, object> { [SummarySheet] = summary };
        foreach (var (name, table) in tables)
        {
            var parts = Split(table, sheetRows);
            for (var i = 0; i < parts.Count; i++)
            {
                sheets[SheetName(name, i + 1)] = parts[i];
            }

            if (parts.Count > 1)
            {
                Row(summary, "分表说明",
                    $"{name} 共 {table.Rows.Count.ToString("N0", CultureInfo.InvariantCulture)} 行，每个工作表至多 {sheetRows.ToString("N0", CultureInfo.InvariantCulture)} 行，分为 {name} … {SheetName(name, parts.Count)} 共 {parts.Count} 个工作表 · "
                    + $"{table.Rows.Count.ToString("N0", CultureInfo.InvariantCulture)} rows continued over {parts.Count} sheets of at most {sheetRows.ToString("N0", CultureInfo.InvariantCulture)} rows");
            }
        }

        var taken = SheetNames.Taken(sheets.Keys);
        foreach (var handout in handouts.Take(organizations))
        {
            var table = WithTimes(Handout(handout, briefs), report.Agenda);
            sheets[SheetNames.Unique(handout.Organization, taken)] = table.Rows.Count <= sheetRows ? table : Split(table, sheetRows)[0];
        }

        if (handouts.Count > organizations)
        {
            Row(summary, "单位日程表说明",
                $"共 {handouts.Count.ToString("N0", CultureInfo.InvariantCulture)} 个单位有会谈，前 {organizations.ToString("N0", CultureInfo.InvariantCulture)} 个各有一张日程表，全部单位的日程见 {OrganizationsSheet} 与 {EventOutputWriter.AgendaByOrganizationFile} · "
                + $"{handouts.Count.ToString("N0", CultureInfo.InvariantCulture)} organisations have meetings; the first {organizations.ToString("N0", CultureInfo.InvariantCulture)} have a sheet each, every one is in {OrganizationsSheet} and {EventOutputWriter.AgendaByOrganizationFile}");
        }

        if (report.Cuts is { } cuts)
        {
            // Only a report read back from a bounded report.json (agenda --from) reaches here cut.
            Row(summary, "说明", $"本工作簿由已截取的 report.json 重写：需求卡片 {cuts.DemandsShown}/{cuts.Demands}，推荐 {cuts.RecommendationsShown}/{cuts.Recommendations}，配对 {cuts.PairsShown}/{cuts.Pairs}；"
                + $"完整列表见 {MatchOutputWriter.DemandMatchesFile} 与 {EventOutputWriter.PairsFile} · Rewritten from a bounded report.json; the full lists are in {MatchOutputWriter.DemandMatchesFile} and {EventOutputWriter.PairsFile}");
        }

        using var package = new MemoryStream();
        // FastMode is what MiniExcel's auto width needs; the widths are computed from the cells, so they are stable.
        MiniExcel.SaveAs(package, sheets, configuration: new OpenXmlConfiguration { FastMode = true, EnableAutoWidth = true, MaxWidth = 60 });
        package.Position = 0;
        CopyDeterministically(package, output);
    }

    /// <summary>The name of a table's <paramref name="part"/>-th sheet: the table's name, then "name (2)", …</summary>
    internal static string SheetName(string name, int part) =>
        part == 1 ? name : $"{name} ({part.ToString(CultureInfo.InvariantCulture)})";

    private static List<DataTable> Split(DataTable table, int rows)
    {
        if (table.Rows.Count <= rows)
        {
            return [table];
        }

        var parts = new List<DataTable>();
        for (var start = 0; start < table.Rows.Count; start += rows)
        {
            var part = table.Clone();
            for (var i = start; i < Math.Min(start + rows, table.Rows.Count); i++)
            {
                part.ImportRow(table.Rows[i]);
            }

            parts.Add(part);
        }

        return parts;
    }

    private static DataTable Summary(EventReport report)
    {
        var s = report.Summary;
        var table = Table(("项目", typeof(string)), ("值", typeof(object)));
        Row(table, "报告标题", report.Title);
        Row(table, "匹配方法", report.Method);
        Row(table, "科技成果数", s.Achievements);
        Row(table, "技术需求数", s.Demands);
        Row(table, "高校数", s.Universities);
        Row(table, "企业数", s.Enterprises);
        Row(table, "强匹配阈值", s.StrongThreshold);
        Row(table, "有强匹配的需求数", s.DemandsWithStrongMatch);
        Row(table, "有强匹配的需求占比", Share(s.DemandsWithStrongMatch, s.Demands));
        Row(table, "需人工匹配的需求数", report.ManualMatching.DemandCount);
        Row(table, "需人工匹配的成果数", report.ManualMatching.AchievementCount);
        Row(table, "有强匹配的成果占比", Share(s.Achievements - report.ManualMatching.AchievementCount, s.Achievements));
        // A report read back from a bounded report.json counts the whole event, not the rows it kept.
        Row(table, "校企配对数", report.Cuts?.Pairs ?? report.Pairs.Count);
        if (report.Agenda is { } agenda)
        {
            Row(table, "已安排会谈数", agenda.Meetings.Count);
            Row(table, "日程目标值", agenda.Objective);
            Row(table, "贪心方案目标值", agenda.GreedyObjective);
            Row(table, "目标值上界", agenda.UpperBound);
            Row(table, "求解状态", agenda.Status);
            Row(table, "未安排配对数", report.Cuts?.Unscheduled ?? agenda.Unscheduled.Count);
        }
        else
        {
            Row(table, "会议日程", "未安排");
        }

        return table;
    }

    private static DataTable Coverage(string name, IReadOnlyList<CoverageRow> rows)
    {
        var table = Table((name, typeof(string)), ("需求数", typeof(int)), ("强匹配需求数", typeof(int)), ("强匹配占比", typeof(double)));
        foreach (var row in rows)
        {
            Row(table, row.Name, row.Demands, row.WithStrongMatch, Share(row.WithStrongMatch, row.Demands));
        }

        return table;
    }

    private static DataTable Pairs(EventReport report)
    {
        var table = Table(("排名", typeof(int)), ("高校", typeof(string)), ("企业", typeof(string)), ("得分", typeof(double)),
            ("依据数", typeof(int)), ("依据（需求 ↔ 成果 强度）", typeof(string)));
        for (var i = 0; i < report.Pairs.Count; i++)
        {
            var pair = report.Pairs[i];
            var evidence = string.Join("; ", pair.Evidence.Select(e => $"{e.DemandTitle} ↔ {e.AchievementTitle} ({Fixed(e.Strength, 2)})"));
            Row(table, i + 1, pair.University, pair.Enterprise, pair.Score, pair.Evidence.Count, evidence);
        }

        return table;
    }

    private static DataTable Recommendations(EventReport report)
    {
        var table = Table(("需求编号", typeof(string)), ("需求名称", typeof(string)), ("需求单位", typeof(string)), ("排名", typeof(int)),
            ("成果编号", typeof(string)), ("成果名称", typeof(string)), ("完成单位", typeof(string)), ("得分", typeof(double)),
            ("强度", typeof(double)), ("匹配词", typeof(string)), ("主要特征贡献", typeof(string)), ("语义关联", typeof(string)));
        foreach (var card in report.Demands)
        {
            var d = card.Demand;
            foreach (var rec in card.Recommendations)
            {
                var contributions = string.Join("; ", rec.Explanation.Contributions.Take(MaxContributions)
                    .Select(c => $"{c.Label} {HtmlReportWriter.Signed(c.Contribution)}"));
                Row(table, d.Id, d.Title, d.Organization, rec.Rank, rec.Achievement.Id, rec.Achievement.Title, rec.Achievement.Organization,
                    rec.Score, rec.Strength, string.Join("; ", rec.Explanation.MatchedTerms), contributions,
                    string.Join("; ", rec.Explanation.Bridges ?? []));
            }
        }

        return table;
    }

    private static DataTable Manual(ManualMatching manual)
    {
        var table = Table(("类别", typeof(string)), ("编号", typeof(string)), ("名称", typeof(string)), ("单位", typeof(string)),
            ("最接近的编号", typeof(string)), ("最接近的名称", typeof(string)), ("最高强度", typeof(double)));
        foreach (var u in manual.Demands)
        {
            Row(table, "需求", u.Id, u.Title, u.Organization, u.BestId, u.BestTitle, u.BestStrength);
        }

        foreach (var u in manual.Achievements)
        {
            Row(table, "成果", u.Id, u.Title, u.Organization, u.BestId, u.BestTitle, u.BestStrength);
        }

        return table;
    }

    private static DataTable Meetings(Agenda agenda, MeetingBriefs briefs)
    {
        var table = Table(("轮次", typeof(int)), ("桌号", typeof(int)), ("高校", typeof(string)), ("企业", typeof(string)), ("得分", typeof(double)),
            ("会谈主题（需求 ↔ 成果）", typeof(string)), ("高校联系人", typeof(string)), ("企业联系人", typeof(string)));
        foreach (var b in agenda.Meetings.OrderBy(m => m.Slot).ThenBy(m => m.Table).Select(briefs.For))
        {
            var m = b.Meeting;
            Row(table, m.Slot, m.Table, m.University, m.Enterprise, m.Score, b.TopicText, b.UniversityContact?.ToString() ?? "", b.EnterpriseContact?.ToString() ?? "");
        }

        return table;
    }

    private static DataTable Organizations(IReadOnlyList<OrganizationHandout> handouts)
    {
        var table = Table(("单位", typeof(string)), ("类型", typeof(string)), ("轮次", typeof(int)), ("桌号", typeof(int)),
            ("对方单位", typeof(string)), ("得分", typeof(double)), ("会谈主题（需求 ↔ 成果）", typeof(string)), ("本方联系人", typeof(string)), ("对方联系人", typeof(string)));
        foreach (var org in handouts)
        {
            foreach (var b in org.Meetings)
            {
                var m = b.Meeting;
                var (own, other) = org.IsUniversity ? (b.UniversityContact, b.EnterpriseContact) : (b.EnterpriseContact, b.UniversityContact);
                Row(table, org.Organization, org.IsUniversity ? "高校" : "企业", m.Slot, m.Table, org.IsUniversity ? m.Enterprise : m.University, m.Score,
                    b.TopicText, own?.ToString() ?? "", other?.ToString() ?? "");
            }
        }

        return table;
    }

    /// <summary>One organisation's printable sheet: its meetings in slot order, then its records that need manual matching.</summary>
    private static DataTable Handout(OrganizationHandout org, MeetingBriefs briefs)
    {
        var table = Table(("类别", typeof(string)), ("轮次", typeof(int)), ("桌号", typeof(int)), ("对接单位", typeof(string)),
            ("会谈主题（需求 ↔ 成果）", typeof(string)), ("强度/得分", typeof(double)), ("本方联系人", typeof(string)), ("对方联系人", typeof(string)));
        foreach (var b in org.Meetings)
        {
            var m = b.Meeting;
            var (own, other) = org.IsUniversity ? (b.UniversityContact, b.EnterpriseContact) : (b.EnterpriseContact, b.UniversityContact);
            Row(table, "会谈", m.Slot, m.Table, org.IsUniversity ? m.Enterprise : m.University, b.TopicText, m.Score, own?.ToString() ?? "", other?.ToString() ?? "");
        }

        foreach (var u in org.Unmatched)
        {
            var closest = u.BestId.Length == 0 ? "无候选" : $"最接近：{u.BestId} {u.BestTitle}";
            Row(table, org.IsUniversity ? "需人工匹配（成果）" : "需人工匹配（需求）", null, null, "", $"{u.Id} {u.Title}（{closest}）",
                u.BestId.Length == 0 ? null : u.BestStrength, briefs.ContactOf(u, isDemand: !org.IsUniversity)?.ToString() ?? "", "");
        }

        return table;
    }

    private static DataTable UniversityView(EventReport report)
    {
        var table = Table(("高校", typeof(string)), ("成果编号", typeof(string)), ("成果名称", typeof(string)), ("需求编号", typeof(string)),
            ("需求名称", typeof(string)), ("企业", typeof(string)), ("强度", typeof(double)));
        foreach (var u in UniversityAnswers.From(report))
        {
            foreach (var a in u.Achievements)
            {
                foreach (var d in a.Demands)
                {
                    Row(table, u.University, a.Id, a.Title, d.Id, d.Title, d.Enterprise, d.Strength);
                }
            }
        }

        return table;
    }

    private static DataTable Table(params (string Name, Type Type)[] columns)
    {
        var table = new DataTable { Locale = CultureInfo.InvariantCulture };
        foreach (var (name, type) in columns)
        {
            table.Columns.Add(name, type);
        }

        return table;
    }

    /// <summary>Characters an Excel cell holds.</summary>
    internal const int MaxCellChars = 32_767;

    /// <summary>Adds a row, neutralising every text cell and cutting one past <see cref="MaxCellChars"/> with an ellipsis
    /// (Excel refuses a longer cell; the CSV tables keep it whole); a non-finite number (which a cell cannot hold) is
    /// left empty.</summary>
    private static void Row(DataTable table, params object?[] cells) =>
        table.Rows.Add([.. cells.Select(cell => cell switch
        {
            string text => Fit(CsvTable.SpreadsheetSafe(text)),
            double number when !double.IsFinite(number) => DBNull.Value,
            null => DBNull.Value,
            _ => cell,
        })]);

    private static string Fit(string text)
    {
        if (text.Length <= MaxCellChars)
        {
            return text;
        }

        var cut = MaxCellChars - 1;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return string.Concat(text.AsSpan(0, cut), "…");
    }

    private static double Share(int part, int whole) => whole <= 0 ? 0 : Math.Round((double)part / whole, 4);

    private static string Fixed(double value, int decimals) => HtmlReportWriter.Fixed(value, decimals);

    /// <summary>Copies the package entry by entry, stamping each with <see cref="ZipEpoch"/> and replacing the
    /// random relationship ids MiniExcel gives the sheets (<c>R</c> + a new GUID) with numbered ones.</summary>
    internal static void CopyDeterministically(Stream package, Stream output)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        using var source = new ZipArchive(package, ZipArchiveMode.Read, leaveOpen: true);
        using var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var entry in source.Entries)
        {
            var copy = target.CreateEntry(entry.FullName, CompressionLevel.Optimal);
            copy.LastWriteTime = ZipEpoch;
            using var from = entry.Open();
            using var to = copy.Open();
            if (entry.FullName is "xl/workbook.xml" or "xl/_rels/workbook.xml.rels")
            {
                using var buffer = new MemoryStream();
                from.CopyTo(buffer);
                // UTF8.GetString keeps a byte-order mark as U+FEFF and GetBytes writes it back, so only the ids change.
                var xml = RandomRelationshipId().Replace(Encoding.UTF8.GetString(buffer.ToArray()), id =>
                    ids.TryGetValue(id.Value, out var fixedId) ? fixedId : ids[id.Value] = "R" + (ids.Count + 1).ToString("x32", CultureInfo.InvariantCulture));
                to.Write(Encoding.UTF8.GetBytes(xml));
            }
            else
            {
                from.CopyTo(to);
            }
        }
    }

    [GeneratedRegex("""(?<=(?:r:id|Id)=")R[0-9a-f]{32}(?=")""")]
    private static partial Regex RandomRelationshipId();

    private static DataTable MustMeets(Agenda agenda)
    {
        var table = Table(("提出方", typeof(string)), ("对方", typeof(string)), ("原因", typeof(string)), ("reason", typeof(string)));
        foreach (var m in agenda.MustMeetUnscheduled)
        {
            Row(table, m.Organization, m.Counterpart, MustMeetReasons.Chinese(m.Reason), m.Reason);
        }

        return table;
    }

    /// <summary>With clock times, a 时间 column right after the table's 轮次 column (its value the slot's time, empty on
    /// rows without a slot); without, the table as it is.</summary>
    private static DataTable WithTimes(DataTable table, Agenda? agenda)
    {
        if (agenda?.SlotTimes is null)
        {
            return table;
        }

        var slot = table.Columns["轮次"]!;
        var time = table.Columns.Add("时间", typeof(string));
        time.SetOrdinal(slot.Ordinal + 1);
        foreach (DataRow row in table.Rows)
        {
            row[time] = row[slot] is int number ? agenda.TimeOf(number) : "";
        }

        return table;
    }
}
