using System.Globalization;
using System.Net;
using System.Text;
using Matching.Aggregation;
using Matching.Ingestion;
using Matching.Scheduling;

namespace Matching.Reporting;

/// <summary>Renders an <see cref="EventReport"/> as one self-contained, printable HTML5 page.</summary>
/// <remarks>Nothing leaves the file: no scripts, fonts, images or links; the charts are inline SVG drawn here.
/// Every piece of user text goes through <see cref="WebUtility.HtmlEncode(string)"/>, in element content, SVG
/// text and attribute values alike, so a title such as <c>&lt;script&gt;</c> shows as text. The same report
/// always gives the same characters: no clock, no random ids, invariant numbers with fixed decimals, \n line ends.</remarks>
internal static class HtmlReportWriter
{
    /// <summary>Feature contributions shown per recommendation (the explainer sorts them by effect).</summary>
    internal const int MaxContributions = 5;

    /// <summary>The sentence shown in place of the agenda when none was planned.</summary>
    internal const string NoAgendaSentence = "本次活动未安排会议日程。No agenda was planned for this event.";

    private const string Css = """
        :root { color-scheme: light; }
        body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif;
               color: #1d2733; background: #fff; line-height: 1.5; font-size: 14px; max-width: 1100px; margin: 0 auto; padding: 24px; }
        h1 { font-size: 26px; margin: 0 0 4px; }
        h2 { font-size: 20px; border-bottom: 2px solid #2f6fb0; padding-bottom: 4px; margin: 36px 0 12px; }
        h3 { font-size: 16px; margin: 20px 0 8px; }
        h4 { font-size: 14px; margin: 12px 0 6px; }
        .en { color: #5b6b7c; font-weight: normal; font-size: 0.85em; margin-left: 0.4em; }
        .subtitle { color: #5b6b7c; margin: 0 0 12px; }
        nav { display: flex; gap: 16px; flex-wrap: wrap; padding: 8px 0; border-bottom: 1px solid #d8dee6; }
        nav a { color: #2f6fb0; text-decoration: none; }
        table { border-collapse: collapse; width: 100%; margin: 8px 0; }
        th, td { border-bottom: 1px solid #d8dee6; padding: 4px 8px; text-align: left; vertical-align: top; }
        th { background: #f1f4f8; font-weight: 600; }
        .n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .kpis { display: flex; flex-wrap: wrap; gap: 12px; margin: 8px 0; }
        .kpi { border: 1px solid #d8dee6; border-radius: 6px; padding: 8px 14px; min-width: 130px; }
        .kpi .num { display: block; font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
        .kpi .lbl { color: #5b6b7c; font-size: 12px; }
        .coverage { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
        .coverage table { flex: 1 1 360px; width: auto; }
        .chart { flex: 0 0 auto; }
        .evidence { margin: 0; padding-left: 18px; }
        .card { border: 1px solid #cfd7e1; border-radius: 8px; padding: 12px 16px; margin: 16px 0; }
        .card h3 { margin-top: 0; }
        .id { color: #5b6b7c; font-weight: normal; font-size: 0.85em; margin-right: 0.4em; }
        .meta { display: flex; flex-wrap: wrap; gap: 4px 24px; margin: 0 0 8px; }
        .meta dt { display: inline; color: #5b6b7c; }
        .meta dd { display: inline; margin: 0 0 0 4px; }
        .desc { white-space: pre-line; margin: 4px 0 8px; }
        .recs { list-style: none; padding: 0; margin: 0; }
        .rec { border-top: 1px dashed #cfd7e1; padding: 8px 0; }
        .rec-head { display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: baseline; }
        .rank { font-weight: 600; color: #2f6fb0; }
        .rec-title { font-weight: 600; }
        .org { color: #5b6b7c; }
        .chip { display: inline-block; border: 1px solid #b9c7d8; border-radius: 10px; padding: 0 8px; margin: 0 4px 2px 0; font-size: 12px; }
        .badge { background: #1b7f3b; color: #fff; border-radius: 4px; padding: 0 6px; font-size: 12px; }
        .snippet { margin: 4px 0; padding: 2px 10px; border-left: 3px solid #d8dee6; color: #333; }
        .field { color: #5b6b7c; font-size: 12px; margin-right: 6px; }
        mark { background: #ffe58a; color: inherit; padding: 0 1px; }
        .contrib { width: auto; min-width: 420px; font-size: 13px; }
        .pos { color: #1b7f3b; }
        .neg { color: #b3261e; }
        .empty { color: #5b6b7c; font-style: italic; }
        .slot-first td { border-top: 2px solid #9fb3c8; }
        .toc { columns: 2 260px; padding-left: 20px; }
        .schedule { border: 1px solid #cfd7e1; border-radius: 8px; padding: 12px 16px; margin: 16px 0; }
        .schedule h3 { margin-top: 0; }
        .schedule-table { table-layout: fixed; }
        .schedule-table td, .schedule-table th { font-size: 13px; overflow-wrap: anywhere; }
        .schedule-table .c-slot { width: 12%; } .schedule-table .c-table { width: 7%; } .schedule-table .c-org { width: 19%; }
        .schedule-table .c-topic { width: 30%; } .schedule-table .c-contact { width: 16%; }
        .topic { font-weight: 600; }
        .university { margin: 16px 0; }
        footer { margin-top: 36px; color: #5b6b7c; font-size: 12px; border-top: 1px solid #d8dee6; padding-top: 8px; }
        @media print {
          body { max-width: none; padding: 0; font-size: 10.5pt; }
          nav { display: none; }
          @page { size: A4; margin: 14mm 12mm; }
          #demands, #agenda, #schedules { break-before: page; }
          .toc { display: none; }
          .schedule { break-before: page; border: none; padding: 0; margin: 0; }
          .schedule-table td, .schedule-table th { font-size: 10pt; padding: 3px 5px; }
          .card, .rec, tr, .kpi, svg { break-inside: avoid; }
          * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        }
        """;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Writes the whole page to <paramref name="writer"/> (the caller picks the encoding; the page
    /// declares UTF-8, as <see cref="AtomicOutput.WriteText"/> writes).</summary>
    /// <param name="report">The report as the page shows it (bounded, see <see cref="ReportOptions.Bound"/>).</param>
    /// <param name="writer">Where the page goes.</param>
    /// <param name="full">The whole report the per-organisation schedules and the university view are built from
    /// (null: <paramref name="report"/>), so a pair cut from the page's pair list keeps its meeting's topic.</param>
    /// <param name="options">How many organisations get a schedule and universities a view (null: the defaults).</param>
    public static void Write(EventReport report, TextWriter writer, EventReport? full = null, ReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(writer);
        full ??= report;
        options ??= new ReportOptions();
        var briefs = MeetingBriefs.Of(full);

        var html = new StringBuilder(64 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(E(report.Title)).Append(" · 匹配报告 Matching report</title>\n")
            .Append("<style>\n").Append(Css.Replace("\r\n", "\n", StringComparison.Ordinal)).Append("\n</style>\n</head>\n<body>\n");

        html.Append("<header>\n<h1>").Append(E(report.Title)).Append("</h1>\n")
            .Append("<p class=\"subtitle\">科技成果与企业技术需求匹配报告 · Research achievement–enterprise demand matching report</p>\n")
            .Append("<nav><a href=\"#summary\">摘要 Summary</a><a href=\"#pairs\">校企配对 Pairs</a>")
            .Append("<a href=\"#manual\">需人工匹配 Needs manual matching</a><a href=\"#universities\">高校视角 University view</a>")
            .Append("<a href=\"#demands\">需求卡片 Demand cards</a><a href=\"#agenda\">会议日程 Agenda</a><a href=\"#schedules\">各单位日程表 Schedules</a></nav>\n</header>\n<main>\n");

        WriteSummary(html, report);
        WritePairs(html, report.Pairs, report.Cuts);
        WriteManual(html, report.ManualMatching);
        WriteUniversities(html, UniversityAnswers.From(full), options.Organizations);
        WriteDemands(html, report.Demands, report.Summary.StrongThreshold, report.Cuts);
        WriteAgenda(html, report.Agenda, report.Cuts, briefs, options.Organizations);
        WriteSchedules(html, report.Title, report.Agenda, OrganizationHandout.From(full, briefs), briefs, options.Organizations);

        html.Append("</main>\n<footer>由 Matching 生成 · Generated by Matching</footer>\n</body>\n</html>\n");
        writer.Write(html.ToString());
    }

    private static string Describe(DataQualityKind kind) => kind switch
    {
        DataQualityKind.NoTitle => "无标题 no title",
        DataQualityKind.NoText => "无简介 no abstract/description",
        DataQualityKind.NoOrganization => "无单位 no organization",
        DataQualityKind.DuplicateText => "内容重复 duplicate text",
        _ => kind.ToString(),
    };

    private static void WriteSummary(StringBuilder html, EventReport report)
    {
        var s = report.Summary;
        Heading(html, "summary", "摘要", "Summary");
        html.Append("<div class=\"kpis\">\n");
        Kpi(html, Int(s.Achievements), "科技成果 Achievements");
        Kpi(html, Int(s.Demands), "技术需求 Demands");
        Kpi(html, Int(s.Universities), "高校 Universities");
        Kpi(html, Int(s.Enterprises), "企业 Enterprises");
        Kpi(html, $"{Int(s.DemandsWithStrongMatch)} / {Int(s.Demands)}", $"有强匹配的需求 Demands with a strong match ({Percent(Share(s.DemandsWithStrongMatch, s.Demands))})");
        if (report.ManualMatching.Threshold > 0)
        {
            var matched = s.Achievements - report.ManualMatching.AchievementCount;
            Kpi(html, $"{Int(matched)} / {Int(s.Achievements)}", $"有强匹配的成果 Achievements with a strong match ({Percent(Share(matched, s.Achievements))})");
        }

        html.Append("</div>\n");
        html.Append("<p>匹配强度是“该推荐确为有用匹配”的概率（在留出的已标注数据上校准）；强匹配：强度 ≥ ").Append(Fixed(s.StrongThreshold, 2))
            .Append("。只有强匹配才计入校企配对与会议日程。 · Strength is the probability that a recommendation is a useful match (calibrated on held-out judged data); a strong match has strength ≥ ")
            .Append(Fixed(s.StrongThreshold, 2)).Append(". Only strong matches count towards pairs and meetings.</p>\n");
        html.Append("<p><strong>方法 Method：</strong>").Append(E(report.Method)).Append("</p>\n");
        if (report.DataQuality is { Count: > 0 } quality)
        {
            html.Append("<p><strong>数据质量 Data quality：</strong>");
            foreach (var (count, i) in quality.Select((c, i) => (c, i)))
            {
                html.Append(i > 0 ? " · " : "").Append(E(Path.GetFileName(count.File))).Append(' ')
                    .Append(E(Describe(count.Kind))).Append(' ').Append(Int(count.Records));
            }

            html.Append("</p>\n");
        }

        Coverage(html, "按行业覆盖", "Coverage by industry", "行业 Industry", s.ByIndustry);
        Coverage(html, "按地区覆盖", "Coverage by region", "地区 Region", s.ByRegion);
        html.Append("</section>\n");
    }

    private static void Kpi(StringBuilder html, string number, string label) =>
        html.Append("<div class=\"kpi\"><span class=\"num\">").Append(E(number)).Append("</span><span class=\"lbl\">")
            .Append(E(label)).Append("</span></div>\n");

    private static void Coverage(StringBuilder html, string zh, string en, string nameHeader, IReadOnlyList<CoverageRow> rows)
    {
        html.Append("<h3>").Append(zh).Append("<span class=\"en\">").Append(en).Append("</span></h3>\n");
        if (rows.Count == 0)
        {
            html.Append("<p class=\"empty\">无数据 · No data.</p>\n");
            return;
        }

        html.Append("<div class=\"coverage\">\n<table>\n<thead><tr><th>").Append(nameHeader)
            .Append("</th><th class=\"n\">需求 Demands</th><th class=\"n\">强匹配 Strong</th><th class=\"n\">占比 Share</th></tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            html.Append("<tr><td>").Append(E(row.Name)).Append("</td><td class=\"n\">").Append(Int(row.Demands))
                .Append("</td><td class=\"n\">").Append(Int(row.WithStrongMatch))
                .Append("</td><td class=\"n\">").Append(Percent(Share(row.WithStrongMatch, row.Demands))).Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
        BarChart(html, $"{zh} · {en}：强匹配占比 share of demands with a strong match", rows);
        html.Append("</div>\n");
    }

    /// <summary>Horizontal bars, one per row, each as long as the row's strong-match share of a full track.</summary>
    private static void BarChart(StringBuilder html, string caption, IReadOnlyList<CoverageRow> rows)
    {
        const int width = 480, rowHeight = 26, labelWidth = 150, trackX = labelWidth + 8, trackWidth = 220, top = 4;
        var height = top * 2 + rows.Count * rowHeight;
        html.Append("<svg class=\"chart\" role=\"img\" width=\"").Append(Int(width)).Append("\" height=\"").Append(Int(height))
            .Append("\" viewBox=\"0 0 ").Append(Int(width)).Append(' ').Append(Int(height))
            .Append("\" font-size=\"12\" aria-label=\"").Append(E(caption)).Append("\">\n<title>").Append(E(caption)).Append("</title>\n");
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var share = Share(row.WithStrongMatch, row.Demands);
            var y = top + i * rowHeight;
            var label = Fit(row.Name, labelWidth, 12);
            html.Append("<g><title>").Append(E($"{row.Name}: {Int(row.WithStrongMatch)}/{Int(row.Demands)}")).Append("</title>")
                .Append("<text x=\"").Append(Int(labelWidth)).Append("\" y=\"").Append(Int(y + 17)).Append("\" text-anchor=\"end\" fill=\"#1d2733\">")
                .Append(E(label)).Append("</text>")
                .Append("<rect x=\"").Append(Int(trackX)).Append("\" y=\"").Append(Int(y + 5)).Append("\" width=\"").Append(Int(trackWidth))
                .Append("\" height=\"16\" fill=\"#e8edf3\"/>")
                .Append("<rect x=\"").Append(Int(trackX)).Append("\" y=\"").Append(Int(y + 5)).Append("\" width=\"").Append(Fixed(trackWidth * share, 1))
                .Append("\" height=\"16\" fill=\"#2f6fb0\"/>")
                .Append("<text x=\"").Append(Int(trackX + trackWidth + 6)).Append("\" y=\"").Append(Int(y + 17)).Append("\" fill=\"#1d2733\">")
                .Append(E($"{Percent(share)} ({Int(row.WithStrongMatch)}/{Int(row.Demands)})")).Append("</text></g>\n");
        }

        html.Append("</svg>\n");
    }

    private static void WriteManual(StringBuilder html, ManualMatching manual)
    {
        Heading(html, "manual", "无合适匹配 · 需人工匹配", "No good match — needs manual matching");
        html.Append("<p>以下需求（成果）没有任何推荐达到强匹配阈值 ").Append(Fixed(manual.Threshold, 2))
            .Append("：请人工寻找对接方，或确认本次活动中没有。 · No recommendation for these reaches the strong-match threshold of ")
            .Append(Fixed(manual.Threshold, 2)).Append(": find them a counterpart by hand, or accept that this event has none.</p>\n");
        if (!manual.AchievementsChecked)
        {
            html.Append("<p>成果未作为查询运行（--direction demands）：成果列表只依据需求方向的推荐。")
                .Append(" · Achievements were not run as queries (--direction demands): the achievement list rests on the demands' recommendations only.</p>\n");
        }

        void Table(string zh, string en, IReadOnlyList<UnmatchedRecord> rows, int total, string bestZh)
        {
            html.Append("<h3>").Append(zh).Append(" <span class=\"en\">").Append(en).Append("</span> · ").Append(Int(total)).Append("</h3>\n");
            if (rows.Count < total)
            {
                Note(html, $"仅显示前 {Int(rows.Count)} 条（共 {Int(total)} 条），完整列表见 {EventOutputWriter.ManualMatchingFile}。",
                    $"Showing the first {Int(rows.Count)} of {Int(total)}; the full list is in {EventOutputWriter.ManualMatchingFile}.");
            }

            if (rows.Count == 0)
            {
                html.Append("<p class=\"empty\">无。None.</p>\n");
                return;
            }

            html.Append("<table class=\"manual\">\n<thead><tr><th>编号 Id</th><th>名称 Title</th><th>单位 Organization</th><th>")
                .Append(bestZh).Append("</th><th class=\"n\">最高强度 Best strength</th></tr></thead>\n<tbody>\n");
            foreach (var u in rows)
            {
                html.Append("<tr><td>").Append(E(u.Id)).Append("</td><td>").Append(E(u.Title)).Append("</td><td>").Append(E(u.Organization))
                    .Append("</td><td>").Append(u.BestId.Length == 0 ? "—" : E($"{u.BestId} {u.BestTitle}"))
                    .Append("</td><td class=\"n\">").Append(u.BestId.Length == 0 ? "—" : Fixed(u.BestStrength, 2)).Append("</td></tr>\n");
            }

            html.Append("</tbody>\n</table>\n");
        }

        Table("需求", "Demands", manual.Demands, manual.DemandCount, "最接近的成果 Closest achievement");
        Table("成果", "Achievements", manual.Achievements, manual.AchievementCount, "最接近的需求 Closest demand");
        html.Append("</section>\n");
    }

    private static void WritePairs(StringBuilder html, IReadOnlyList<PairScore> pairs, ReportCuts? cuts)
    {
        Heading(html, "pairs", "校企配对", "University–enterprise pairs");
        if (cuts is not null && cuts.Pairs > cuts.PairsShown)
        {
            Note(html, $"仅显示前 {Int(cuts.PairsShown)} 个配对（共 {Int(cuts.Pairs)} 个），完整列表见 {EventOutputWriter.PairsFile}。",
                $"Showing the first {Int(cuts.PairsShown)} of {Int(cuts.Pairs)} pairs; the full list is in {EventOutputWriter.PairsFile}.");
        }

        if (pairs.Count == 0)
        {
            html.Append("<p class=\"empty\">未形成校企配对。No university–enterprise pairs.</p>\n</section>\n");
            return;
        }

        html.Append("<p>按配对得分从高到低；依据为支撑该配对的“需求 ↔ 成果”推荐及其匹配强度。")
            .Append("Pairs best first; the evidence lists the demand ↔ achievement recommendations behind each pair with their strength.</p>\n")
            .Append("<table class=\"pairs\">\n<thead><tr><th class=\"n\">排名 Rank</th><th>高校 University</th><th>企业 Enterprise</th>")
            .Append("<th class=\"n\">得分 Score</th><th>依据 Evidence（需求 Demand ↔ 成果 Achievement · 强度 Strength）</th></tr></thead>\n<tbody>\n");
        for (var i = 0; i < pairs.Count; i++)
        {
            var pair = pairs[i];
            html.Append("<tr><td class=\"n\">").Append(Int(i + 1)).Append("</td><td>").Append(E(pair.University))
                .Append("</td><td>").Append(E(pair.Enterprise)).Append("</td><td class=\"n\">").Append(Fixed(pair.Score, 3))
                .Append("</td><td>");
            if (pair.Evidence.Count > 0)
            {
                html.Append("<ul class=\"evidence\">");
                foreach (var e in pair.Evidence)
                {
                    html.Append("<li>").Append(E(e.DemandTitle)).Append(" ↔ ").Append(E(e.AchievementTitle))
                        .Append(" · <span class=\"n\">").Append(Fixed(e.Strength, 2)).Append("</span></li>");
                }

                html.Append("</ul>");
            }

            html.Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n</section>\n");
    }

    private static void WriteDemands(StringBuilder html, IReadOnlyList<DemandCard> cards, double strongThreshold, ReportCuts? cuts)
    {
        Heading(html, "demands", "需求卡片", "Demand cards");
        if (cuts is not null && cuts.Demands > cuts.DemandsShown)
        {
            Note(html, $"仅显示前 {Int(cuts.DemandsShown)} 个需求卡片（共 {Int(cuts.Demands)} 个），完整推荐列表见 {MatchOutputWriter.DemandMatchesFile}。",
                $"Showing the first {Int(cuts.DemandsShown)} of {Int(cuts.Demands)} demand cards; the full list is in {MatchOutputWriter.DemandMatchesFile}.");
        }

        if (cuts is not null && cuts.Recommendations > cuts.RecommendationsShown)
        {
            Note(html, $"卡片上显示 {Int(cuts.RecommendationsShown)} 条推荐（共 {Int(cuts.Recommendations)} 条），完整推荐列表见 {MatchOutputWriter.DemandMatchesFile}。",
                $"Showing {Int(cuts.RecommendationsShown)} of {Int(cuts.Recommendations)} recommendations on the cards; the full list is in {MatchOutputWriter.DemandMatchesFile}.");
        }

        if (cards.Count == 0 && (cuts?.Demands ?? 0) == 0)
        {
            html.Append("<p class=\"empty\">没有技术需求。No demands.</p>\n");
        }

        for (var i = 0; i < cards.Count; i++)
        {
            var demand = cards[i].Demand;
            // Positional ids: a demand id is user text and need not be a valid, unique HTML id.
            html.Append("<article class=\"card\" id=\"demand-").Append(Int(i + 1)).Append("\">\n<h3><span class=\"id\">")
                .Append(E(demand.Id)).Append("</span>").Append(E(demand.Title)).Append("</h3>\n<dl class=\"meta\">");
            Meta(html, "企业 Enterprise", demand.Organization);
            Meta(html, "行业 Industry", demand.Industry);
            Meta(html, "地区 Region", demand.Region);
            Meta(html, "预算 Budget", demand.Budget);
            if (demand.RequiredMaturity.Length > 0)
            {
                Meta(html, "成熟度要求 Required maturity", demand.RequiredMaturity);
            }

            html.Append("</dl>\n");
            if (demand.Description.Length > 0)
            {
                html.Append("<p class=\"desc\">").Append(E(demand.Description)).Append("</p>\n");
            }

            if (demand.Keywords.Count > 0)
            {
                html.Append("<p><span class=\"field\">关键词 Keywords</span>");
                Chips(html, demand.Keywords);
                html.Append("</p>\n");
            }

            html.Append("<h4>推荐成果<span class=\"en\">Recommended achievements</span></h4>\n");
            if (cards[i].Recommendations.Count == 0)
            {
                // With --report-recommendations 0 the list is cut, not empty: the note above the cards says so.
                if (cuts is null || cuts.Recommendations == cuts.RecommendationsShown)
                {
                    html.Append("<p class=\"empty\">暂无推荐成果。No achievement recommended.</p>\n");
                }
            }
            else
            {
                html.Append("<ol class=\"recs\">\n");
                foreach (var rec in cards[i].Recommendations)
                {
                    WriteRecommendation(html, rec, strongThreshold);
                }

                html.Append("</ol>\n");
            }

            html.Append("</article>\n");
        }

        html.Append("</section>\n");
    }

    private static void Meta(StringBuilder html, string label, string value) =>
        html.Append("<div><dt>").Append(label).Append("</dt><dd>").Append(value.Length == 0 ? "—" : E(value)).Append("</dd></div>");

    private static void Chips(StringBuilder html, IEnumerable<string> terms)
    {
        foreach (var term in terms)
        {
            html.Append("<span class=\"chip\">").Append(E(term)).Append("</span>");
        }
    }

    private static void WriteRecommendation(StringBuilder html, Recommendation rec, double strongThreshold)
    {
        var a = rec.Achievement;
        html.Append("<li class=\"rec\">\n<div class=\"rec-head\"><span class=\"rank\">#").Append(Int(rec.Rank)).Append("</span>")
            .Append("<span class=\"rec-title\">").Append(E(a.Title)).Append("</span>")
            .Append("<span class=\"org\">").Append(E(a.Organization)).Append("</span>")
            .Append("<span class=\"n\">得分 Score ").Append(Fixed(rec.Score, 3)).Append(" · 强度 Strength ").Append(Fixed(rec.Strength, 2)).Append("</span>");
        if (rec.Strength >= strongThreshold)
        {
            html.Append("<span class=\"badge\">强匹配 Strong</span>");
        }

        html.Append("</div>\n");
        var explanation = rec.Explanation;
        if (explanation.MatchedTerms.Count > 0)
        {
            html.Append("<p><span class=\"field\">匹配词 Matched terms</span>");
            Chips(html, explanation.MatchedTerms);
            html.Append("</p>\n");
        }

        if (explanation.Bridges is { Count: > 0 } bridges)
        {
            html.Append("<p><span class=\"field\">语义关联 Bridges</span>");
            Chips(html, [.. bridges.Select(b => b.ToString())]);
            html.Append("</p>\n");
        }

        foreach (var snippet in explanation.Snippets)
        {
            html.Append("<blockquote class=\"snippet\"><span class=\"field\">").Append(FieldLabel(snippet.Field)).Append("</span>");
            foreach (var piece in snippet.Pieces)
            {
                html.Append(piece.Highlighted ? "<mark>" : "").Append(E(piece.Text)).Append(piece.Highlighted ? "</mark>" : "");
            }

            html.Append("</blockquote>\n");
        }

        if (explanation.Contributions.Count > 0)
        {
            html.Append("<table class=\"contrib\">\n<thead><tr><th>主要特征 Top features</th><th class=\"n\">取值 Value</th>")
                .Append("<th class=\"n\">贡献 Contribution</th></tr></thead>\n<tbody>\n");
            foreach (var c in explanation.Contributions.Take(MaxContributions))
            {
                html.Append("<tr><td>").Append(E(c.Label)).Append(" <span class=\"field\">").Append(E(c.Feature)).Append("</span></td>")
                    .Append("<td class=\"n\">").Append(Fixed(c.Value, 3)).Append("</td>")
                    .Append("<td class=\"n ").Append(c.Contribution < 0 ? "neg" : "pos").Append("\">").Append(Signed(c.Contribution)).Append("</td></tr>\n");
            }

            html.Append("</tbody>\n</table>\n");
        }

        html.Append("</li>\n");
    }

    /// <summary>A slot's clock time on a line of its own, or nothing without clock times.</summary>
    private static string Time(Agenda agenda, int slot) =>
        agenda.TimeOf(slot) is { Length: > 0 } time ? $"<br><span class=\"time\">{E(time)}</span>" : "";

    private static string FieldLabel(string field) => field switch
    {
        "title" => "标题 Title",
        "abstract" => "摘要 Abstract",
        "keywords" => "关键词 Keywords",
        _ => E(field),
    };

    private static void WriteAgenda(StringBuilder html, Agenda? agenda, ReportCuts? cuts, MeetingBriefs briefs, int schedules)
    {
        Heading(html, "agenda", "会议日程", "Agenda");
        if (agenda is null)
        {
            html.Append("<p class=\"empty\">").Append(E(NoAgendaSentence)).Append("</p>\n</section>\n");
            return;
        }

        var meetings = agenda.Meetings.OrderBy(m => m.Slot).ThenBy(m => m.Table).ToList();
        html.Append("<div class=\"kpis\">\n");
        Kpi(html, Int(meetings.Count), "已安排会谈 Meetings");
        Kpi(html, Fixed(agenda.Objective, 3), "目标值 Objective");
        Kpi(html, Fixed(agenda.GreedyObjective, 3), "贪心方案 Greedy objective");
        Kpi(html, Fixed(agenda.UpperBound, 3), "上界 Upper bound");
        Kpi(html, Int(cuts?.Unscheduled ?? agenda.Unscheduled.Count), "未安排配对 Unscheduled");
        Kpi(html, agenda.Status, "求解状态 Solver status");
        html.Append("</div>\n");
        if (agenda.UpperBound > 0 && double.IsFinite(agenda.UpperBound))
        {
            var ofBound = Percent(agenda.Objective / agenda.UpperBound);
            html.Append("<p>目标值（所安排配对得分之和）达到上界的 ").Append(ofBound)
                .Append("。The objective (sum of the scheduled pairs' scores) reaches ").Append(ofBound).Append(" of the upper bound.</p>\n");
        }

        html.Append("<h3>按轮次<span class=\"en\">By slot</span></h3>\n");
        if (meetings.Count == 0)
        {
            html.Append("<p class=\"empty\">没有安排任何会谈。No meeting was scheduled.</p>\n");
        }
        else
        {
            html.Append("<table class=\"meetings\">\n<thead><tr><th class=\"n\">轮次 Slot</th><th class=\"n\">桌号 Table</th><th>高校 University</th>")
                .Append("<th>企业 Enterprise</th><th class=\"n\">得分 Score</th><th>会谈主题 Topic（需求 ↔ 成果）</th>")
                .Append("<th>高校联系人 University contact</th><th>企业联系人 Enterprise contact</th></tr></thead>\n<tbody>\n");
            foreach (var slot in meetings.GroupBy(m => m.Slot))
            {
                var first = true;
                foreach (var m in slot)
                {
                    var brief = briefs.For(m);
                    html.Append(first ? "<tr class=\"slot-first\">" : "<tr>")
                        .Append("<td class=\"n\">").Append(first ? $"第 {Int(m.Slot)} 轮 Slot {Int(m.Slot)}{Time(agenda, m.Slot)}" : "").Append("</td>")
                        .Append("<td class=\"n\">").Append(Int(m.Table)).Append("</td><td>").Append(E(m.University)).Append("</td><td>")
                        .Append(E(m.Enterprise)).Append("</td><td class=\"n\">").Append(Fixed(m.Score, 3)).Append("</td><td>")
                        .Append(Dash(brief.TopicText)).Append("</td><td>").Append(Contact(brief.UniversityContact))
                        .Append("</td><td>").Append(Contact(brief.EnterpriseContact)).Append("</td></tr>\n");
                    first = false;
                }
            }

            html.Append("</tbody>\n</table>\n");
            WriteOrganizations(html, agenda, meetings, schedules);
        }

        if (agenda.MustMeetUnscheduled.Count > 0)
        {
            html.Append("<h3 id=\"must-meet\">未能安排的必见会谈<span class=\"en\">Must-meets that could not be scheduled</span></h3>\n")
                .Append("<table>\n<thead><tr><th>提出方 Organisation</th><th>对方 Counterpart</th><th>原因 Reason</th></tr></thead>\n<tbody>\n");
            foreach (var m in agenda.MustMeetUnscheduled)
            {
                html.Append("<tr><td>").Append(E(m.Organization)).Append("</td><td>").Append(E(m.Counterpart)).Append("</td><td>")
                    .Append(E(MustMeetReasons.Chinese(m.Reason))).Append(" <span class=\"field\">").Append(E(m.Reason)).Append("</span></td></tr>\n");
            }

            html.Append("</tbody>\n</table>\n");
        }

        if (agenda.Unscheduled.Count > 0)
        {
            html.Append("<h3>未安排的配对<span class=\"en\">Unscheduled pairs</span></h3>\n");
            if (cuts is not null && cuts.Unscheduled > cuts.UnscheduledShown)
            {
                Note(html, $"仅显示前 {Int(cuts.UnscheduledShown)} 个未安排的配对（共 {Int(cuts.Unscheduled)} 个），全部配对见 {EventOutputWriter.PairsFile}。",
                    $"Showing the first {Int(cuts.UnscheduledShown)} of {Int(cuts.Unscheduled)} unscheduled pairs; every pair is in {EventOutputWriter.PairsFile}.");
            }

            html                .Append("<table>\n<thead><tr><th>高校 University</th><th>企业 Enterprise</th><th class=\"n\">得分 Score</th></tr></thead>\n<tbody>\n");
            foreach (var u in agenda.Unscheduled)
            {
                html.Append("<tr><td>").Append(E(u.University)).Append("</td><td>").Append(E(u.Enterprise))
                    .Append("</td><td class=\"n\">").Append(Fixed(u.Score, 3)).Append("</td></tr>\n");
            }

            html.Append("</tbody>\n</table>\n");
        }

        html.Append("</section>\n");
    }

    /// <summary>The compact per-organisation table; the first <paramref name="schedules"/> names link to their
    /// printable schedule (the same order, see <see cref="OrganizationHandout.From"/>).</summary>
    private static void WriteOrganizations(StringBuilder html, Agenda agenda, IReadOnlyList<Meeting> meetings, int schedules)
    {
        html.Append("<h3>各单位日程<span class=\"en\">Per organisation</span></h3>\n")
            .Append("<table class=\"organizations\">\n<thead><tr><th>单位 Organisation</th><th>类型 Role</th><th class=\"n\">会谈 Meetings</th>")
            .Append("<th>日程 Schedule（轮次 Slot · 桌号 Table · 对方 Counterpart）</th></tr></thead>\n<tbody>\n");
        foreach (var (org, i) in OrganizationSchedule.From(meetings).Select((o, i) => (o, i)))
        {
            html.Append("<tr><td>").Append(i < schedules ? $"<a href=\"#org-{Int(i + 1)}\">{E(org.Organization)}</a>" : E(org.Organization)).Append("</td><td>")
                .Append(org.IsUniversity ? "高校 University" : "企业 Enterprise").Append("</td><td class=\"n\">")
                .Append(Int(org.Meetings.Count)).Append("</td><td><ul class=\"evidence\">");
            foreach (var m in org.Meetings)
            {
                html.Append("<li>第 ").Append(Int(m.Slot)).Append(" 轮").Append(agenda.TimeOf(m.Slot) is { Length: > 0 } time ? $" {time}" : "").Append(" · ").Append(Int(m.Table)).Append(" 号桌 · ")
                    .Append(E(org.IsUniversity ? m.Enterprise : m.University)).Append("</li>");
            }

            html.Append("</ul></td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
    }

    /// <summary>Unmatched records listed per organisation on its schedule; the rest are counted and in the CSV.</summary>
    internal const int MaxUnmatchedPerOrganization = 20;

    /// <summary>Achievements listed per university in the university view, and demands per achievement.</summary>
    internal const int MaxAnswerAchievements = 10, MaxAnswerDemands = 5;

    /// <summary>One printable section per organisation with meetings (its own anchor <c>org-1</c>, <c>org-2</c>, … and
    /// its own printed page): time, table, counterpart, topic, both sides' contacts, and its records that need
    /// manual matching.</summary>
    private static void WriteSchedules(StringBuilder html, string title, Agenda? agenda, IReadOnlyList<OrganizationHandout> handouts, MeetingBriefs briefs, int limit)
    {
        var hasAgenda = agenda is not null;
        Heading(html, "schedules", "各单位日程表", "Schedule per organisation");
        if (!hasAgenda)
        {
            html.Append("<p class=\"empty\">").Append(E(NoAgendaSentence)).Append("</p>\n</section>\n");
            return;
        }

        html.Append("<p>每个单位一节、打印时各占一页（A4），可直接分发：时段、桌号、对接单位、会谈主题（该校企配对最强的“需求 ↔ 成果”依据）与双方联系人（取自输入文件的联系人/电话/邮箱列）。")
            .Append(" · One section per organisation, each printed on its own A4 page, to hand out: slot, table, counterpart, topic (the pair's strongest demand ↔ achievement evidence) and both sides' contacts (from the input files' contact/phone/e-mail columns).</p>\n");
        if (handouts.Count > limit)
        {
            Note(html, $"仅显示前 {Int(limit)} 个单位的日程表（共 {Int(handouts.Count)} 个），全部单位的日程见 {EventOutputWriter.AgendaByOrganizationFile} 与 report.xlsx 的“{WorkbookWriter.OrganizationsSheet}”工作表。",
                $"Showing the schedules of the first {Int(limit)} of {Int(handouts.Count)} organisations; every organisation's schedule is in {EventOutputWriter.AgendaByOrganizationFile} and the report.xlsx sheet {WorkbookWriter.OrganizationsSheet}.");
        }

        if (handouts.Count == 0)
        {
            html.Append("<p class=\"empty\">没有安排任何会谈。No meeting was scheduled.</p>\n</section>\n");
            return;
        }

        var shown = handouts.Take(limit).ToList();
        html.Append("<ol class=\"toc\">");
        for (var i = 0; i < shown.Count; i++)
        {
            html.Append("<li><a href=\"#org-").Append(Int(i + 1)).Append("\">").Append(E(shown[i].Organization)).Append("</a> · ")
                .Append(Int(shown[i].Meetings.Count)).Append("</li>");
        }

        html.Append("</ol>\n");
        for (var i = 0; i < shown.Count; i++)
        {
            var org = shown[i];
            html.Append("<article class=\"schedule\" id=\"org-").Append(Int(i + 1)).Append("\">\n<h3>").Append(E(org.Organization))
                .Append("<span class=\"en\">").Append(org.IsUniversity ? "高校 University" : "企业 Enterprise").Append(" · ")
                .Append(Int(org.Meetings.Count)).Append(" 场会谈 meetings</span></h3>\n<p class=\"subtitle\">").Append(E(title)).Append("</p>\n")
                .Append("<table class=\"schedule-table\">\n<thead><tr><th class=\"n c-slot\">轮次 Slot</th><th class=\"n c-table\">桌号 Table</th><th class=\"c-org\">对接单位 Counterpart</th>")
                .Append("<th class=\"c-topic\">会谈主题 Topic（需求 ↔ 成果）</th><th class=\"c-contact\">本方联系人 Our contact</th><th class=\"c-contact\">对方联系人 Their contact</th></tr></thead>\n<tbody>\n");
            foreach (var b in org.Meetings)
            {
                var m = b.Meeting;
                var (own, other) = org.IsUniversity ? (b.UniversityContact, b.EnterpriseContact) : (b.EnterpriseContact, b.UniversityContact);
                html.Append("<tr><td class=\"n\">第 ").Append(Int(m.Slot)).Append(" 轮 Slot ").Append(Int(m.Slot)).Append(Time(agenda!, m.Slot)).Append("</td><td class=\"n\">")
                    .Append(Int(m.Table)).Append("</td><td>").Append(E(org.IsUniversity ? m.Enterprise : m.University)).Append("</td><td class=\"topic\">")
                    .Append(Dash(b.TopicText)).Append("</td><td>").Append(Contact(own)).Append("</td><td>").Append(Contact(other))
                    .Append("</td></tr>\n");
            }

            html.Append("</tbody>\n</table>\n<h4>").Append(org.IsUniversity ? "需人工匹配的成果" : "需人工匹配的需求").Append("<span class=\"en\">")
                .Append(org.IsUniversity ? "Achievements" : "Demands").Append(" needing manual matching · ").Append(Int(org.Unmatched.Count)).Append("</span></h4>\n");
            if (org.Unmatched.Count == 0)
            {
                html.Append("<p class=\"empty\">无：每条").Append(org.IsUniversity ? "成果" : "需求").Append("都有强匹配。None: every ")
                    .Append(org.IsUniversity ? "achievement" : "demand").Append(" has a strong match.</p>\n");
            }
            else
            {
                html.Append("<ul class=\"evidence\">");
                foreach (var u in org.Unmatched.Take(MaxUnmatchedPerOrganization))
                {
                    html.Append("<li><span class=\"id\">").Append(E(u.Id)).Append("</span>").Append(E(u.Title)).Append(" · ")
                        .Append(u.BestId.Length == 0 ? "无候选 no candidate" : E($"最接近 closest: {u.BestId} {u.BestTitle} ({Fixed(u.BestStrength, 2)})"));
                    if (briefs.ContactOf(u, isDemand: !org.IsUniversity) is { } contact)
                    {
                        html.Append(" · ").Append(Contact(contact));
                    }

                    html.Append("</li>");
                }

                if (org.Unmatched.Count > MaxUnmatchedPerOrganization)
                {
                    var more = org.Unmatched.Count - MaxUnmatchedPerOrganization;
                    html.Append("<li>").Append(E($"另有 {Int(more)} 条，见 {EventOutputWriter.ManualMatchingFile}")).Append(" · ")
                        .Append(E($"{Int(more)} more in {EventOutputWriter.ManualMatchingFile}")).Append("</li>");
                }

                html.Append("</ul>\n");
            }

            html.Append("</article>\n");
        }

        html.Append("</section>\n");
    }

    /// <summary>The university-side view: per university, its achievements with a strong match and the demands they
    /// answer, strongest first.</summary>
    private static void WriteUniversities(StringBuilder html, IReadOnlyList<UniversityAnswers> universities, int limit)
    {
        Heading(html, "universities", "高校视角", "University view");
        html.Append("<p>每所高校的哪些成果回应了哪些企业需求（仅强匹配，按强度从高到低）。完整列表见 ").Append(EventOutputWriter.UniversityViewFile)
            .Append("。 · Which demands each university's achievements answer (strong matches only, strongest first); the full list is in ")
            .Append(EventOutputWriter.UniversityViewFile).Append(".</p>\n");
        if (universities.Count > limit)
        {
            Note(html, $"仅显示前 {Int(limit)} 所高校（共 {Int(universities.Count)} 所），完整列表见 {EventOutputWriter.UniversityViewFile}。",
                $"Showing the first {Int(limit)} of {Int(universities.Count)} universities; the full list is in {EventOutputWriter.UniversityViewFile}.");
        }

        if (universities.Count == 0)
        {
            html.Append("<p class=\"empty\">没有强匹配。No strong match.</p>\n");
        }

        foreach (var u in universities.Take(limit))
        {
            html.Append("<div class=\"university\">\n<h3>").Append(E(u.University)).Append("<span class=\"en\">")
                .Append(Int(u.Achievements.Count)).Append(" 项成果 achievements</span></h3>\n<table class=\"answers\">\n<thead><tr><th>成果 Achievement</th>")
                .Append("<th>回应的需求 Demands answered（企业 Enterprise · 强度 Strength）</th></tr></thead>\n<tbody>\n");
            foreach (var a in u.Achievements.Take(MaxAnswerAchievements))
            {
                html.Append("<tr><td><span class=\"id\">").Append(E(a.Id)).Append("</span>").Append(E(a.Title)).Append("</td><td><ul class=\"evidence\">");
                foreach (var d in a.Demands.Take(MaxAnswerDemands))
                {
                    html.Append("<li><span class=\"id\">").Append(E(d.Id)).Append("</span>").Append(E(d.Title)).Append(" · ").Append(E(d.Enterprise))
                        .Append(" · <span class=\"n\">").Append(Fixed(d.Strength, 2)).Append("</span></li>");
                }

                if (a.Demands.Count > MaxAnswerDemands)
                {
                    html.Append("<li>另有 ").Append(Int(a.Demands.Count - MaxAnswerDemands)).Append(" 条 · ").Append(Int(a.Demands.Count - MaxAnswerDemands)).Append(" more</li>");
                }

                html.Append("</ul></td></tr>\n");
            }

            if (u.Achievements.Count > MaxAnswerAchievements)
            {
                var more = Int(u.Achievements.Count - MaxAnswerAchievements);
                html.Append("<tr><td colspan=\"2\">另有 ").Append(more).Append(" 项成果，见 ").Append(EventOutputWriter.UniversityViewFile).Append(" · ")
                    .Append(more).Append(" more achievements in ").Append(EventOutputWriter.UniversityViewFile).Append("</td></tr>\n");
            }

            html.Append("</tbody>\n</table>\n</div>\n");
        }

        html.Append("</section>\n");
    }

    private static string Dash(string? text) => string.IsNullOrEmpty(text) ? "—" : E(text);

    /// <summary>Person · phone · e-mail, each encoded (the separator is written as is: the encoder would turn it into
    /// an entity), or a dash.</summary>
    private static string Contact(RecordContact? contact) =>
        contact is null ? "—" : string.Join(" · ", new[] { contact.Person, contact.Phone, contact.Email }.Where(s => s.Length > 0).Select(E));

    /// <summary>A visible note that a list is cut, in Chinese and English (styled inline: the page's stylesheet, and
    /// so every uncut report, stays byte for byte as it was).</summary>
    private static void Note(StringBuilder html, string zh, string en) =>
        html.Append("<p class=\"cut\" style=\"background: #fff4d6; border-left: 4px solid #e0a800; padding: 4px 10px;\">").Append(E(zh)).Append(' ').Append(E(en)).Append("</p>\n");

    private static void Heading(StringBuilder html, string id, string zh, string en) =>
        html.Append("<section id=\"").Append(id).Append("\">\n<h2>").Append(zh).Append("<span class=\"en\">").Append(en).Append("</span></h2>\n");

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    private static string Int(int value) => value.ToString(Invariant);

    private static double Share(int part, int whole) => whole <= 0 ? 0 : Math.Clamp((double)part / whole, 0, 1);

    private static string Percent(double share) => Fixed(share * 100, 1) + "%";

    /// <summary>Fixed decimals, invariant; never "-0.000" and never "NaN" on the page.</summary>
    internal static string Fixed(double value, int decimals)
    {
        if (!double.IsFinite(value))
        {
            return "—";
        }

        var rounded = Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        return (rounded == 0 ? 0 : rounded).ToString("F" + Int(decimals), Invariant);
    }

    /// <summary>Fixed three decimals with an explicit sign, e.g. +0.412 or -0.045.</summary>
    internal static string Signed(double value)
    {
        var text = Fixed(value, 3);
        return text[0] is '-' or '—' || text == Fixed(0, 3) ? text : "+" + text;
    }

    /// <summary>Cuts a chart label to about <paramref name="maxWidth"/> pixels at <paramref name="fontSize"/>
    /// (CJK a full em, Latin about half), by whole text elements so no surrogate pair is split.</summary>
    internal static string Fit(string label, double maxWidth, double fontSize)
    {
        var elements = new List<string>();
        var enumerator = StringInfo.GetTextElementEnumerator(label);
        while (enumerator.MoveNext())
        {
            elements.Add((string)enumerator.Current);
        }

        double Width(string element) => (element[0] < 0x2E80 ? 0.6 : 1.0) * fontSize;
        if (elements.Sum(Width) <= maxWidth)
        {
            return label;
        }

        var fitted = new StringBuilder();
        var width = fontSize; // room for the ellipsis
        foreach (var element in elements)
        {
            width += Width(element);
            if (width > maxWidth)
            {
                break;
            }

            fitted.Append(element);
        }

        return fitted.Append('…').ToString();
    }
}
