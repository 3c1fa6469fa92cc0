using System.Globalization;
using System.Text.RegularExpressions;
using Matching.Aggregation;
using Matching.Reporting;
using Matching.Scheduling;
using MiniExcelLibs;

namespace Matching.Tests.Reporting;

/// <summary>The outputs an organiser hands out: per-organisation schedules with topics and contacts, the agenda with
/// topics, and the university-side view.</summary>
public sealed class HandoutTests
{
    private const string BatteryTopic = "动力电池正极材料循环寿命提升 ↔ 一种高镍三元锂离子电池正极材料的表面包覆改性技术";
    private const string CsuContact = "王建国 · 0731-88836001 · wangjg@csu.example.cn";
    private const string NingboContact = "張偉 · 0574-87651234 · zhangwei@yn.example.com";
    private const string DongguanContact = "陳美玲 · +86 769 2233 4455";

    /// <summary>The sample report with contacts on both sides (Simplified and Traditional names) and one unmatched
    /// record on each side: D2 (東莞精密沖壓, which has a meeting) and A3 (華南農業大學, which has none).</summary>
    internal static EventReport WithContacts() => SampleReport.Build() with
    {
        DemandContacts =
        [
            new RecordContact("D1", SampleReport.BatteryDemand.Organization, "張偉", "0574-87651234", "zhangwei@yn.example.com"),
            new RecordContact("D2", SampleReport.VisionDemand.Organization, "陳美玲", "+86 769 2233 4455", ""),
        ],
        AchievementContacts =
        [
            new RecordContact("A1", "中南大学", "王建国", "0731-88836001", "wangjg@csu.example.cn"),
            new RecordContact("A3", "華南農業大學", "黃志明", "020-85280000", ""),
        ],
        ManualMatching = new ManualMatching(0.6,
            [new UnmatchedRecord("D2", SampleReport.VisionDemand.Title, SampleReport.VisionDemand.Organization, "A2", SampleReport.ScriptTitle, 0.55)],
            [new UnmatchedRecord("A3", SampleReport.Rice.Title, "華南農業大學", "D1", SampleReport.BatteryDemand.Title, 0.08)],
            AchievementsChecked: true, DemandCount: 1, AchievementCount: 1),
    };

    private static string Html(EventReport report, ReportOptions? options = null)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        HtmlReportWriter.Write(report, writer, options: options);
        return writer.ToString();
    }

    private static byte[] Workbook(EventReport report, int organizations = 200)
    {
        using var stream = new MemoryStream();
        WorkbookWriter.Write(report, stream, organizations: organizations);
        return stream.ToArray();
    }

    private static List<IDictionary<string, object?>> Rows(byte[] workbook, string sheet)
    {
        using var stream = new MemoryStream(workbook);
        return [.. MiniExcel.Query(stream, useHeaderRow: true, sheetName: sheet).Cast<IDictionary<string, object?>>()];
    }

    private static string Row(IDictionary<string, object?> row) =>
        string.Join("|", row.Select(cell => $"{cell.Key}={Convert.ToString(cell.Value, CultureInfo.InvariantCulture)}"));

    private static string Article(string html, int index)
    {
        var start = html.IndexOf($"<article class=\"schedule\" id=\"org-{index}\">", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), $"org-{index}");
        return html[start..(html.IndexOf("</article>", start, StringComparison.Ordinal) + "</article>".Length)];
    }

    [Test]
    public void ContactColumns_SimplifiedTraditionalAndEnglishHeaders_PersonPhonesAndEmail()
    {
        var simplified = ContactColumns.Of("A1", "中南大学", new Dictionary<string, string>
        {
            ["手机"] = "13800001111", ["联系人"] = " 王建国 ", ["联系电话（必填）"] = "0731-88836001", ["电子邮箱"] = "wangjg@csu.example.cn", ["备注"] = "可线上对接",
        });
        var traditional = ContactColumns.Of("D1", "東莞精密沖壓有限公司", new Dictionary<string, string>
        {
            ["聯絡人"] = "陳美玲", ["聯絡電話"] = "0769-22334455", ["郵箱"] = "chenml@dg.example.com.tw",
        });
        var english = ContactColumns.Of("D2", "Acme", new Dictionary<string, string> { ["Contact Person"] = "Li Lei", ["E-mail"] = "li@acme.example", ["Tel"] = "" });

        using (Assert.EnterMultipleScope())
        {
            // The phone columns in the list's order (联系电话 before 手机), whatever the file's column order.
            Assert.That(simplified, Is.EqualTo(new RecordContact("A1", "中南大学", "王建国", "0731-88836001 / 13800001111", "wangjg@csu.example.cn")));
            Assert.That(traditional, Is.EqualTo(new RecordContact("D1", "東莞精密沖壓有限公司", "陳美玲", "0769-22334455", "chenml@dg.example.com.tw")));
            Assert.That(english, Is.EqualTo(new RecordContact("D2", "Acme", "Li Lei", "", "li@acme.example")));
            Assert.That(english!.ToString(), Is.EqualTo("Li Lei · li@acme.example"));
            Assert.That(ContactColumns.Of("A9", "清华大学", new Dictionary<string, string> { ["备注"] = "无", ["联系人"] = "  " }), Is.Null);
        }
    }

    [TestCase("中南大学", "中南大学")]
    [TestCase("研究院[北京]:一部/二部?*", "研究院_北京__一部_二部__")]
    [TestCase("'引号单位'", "引号单位")]
    [TestCase("history", "history_")]
    [TestCase("  ", "单位")]
    [TestCase("中国科学院深圳先进技术研究院合成生物学研究所暨深圳合成生物学创新研究院", "中国科学院深圳先进技术研究院合成生物学研究所暨深圳合成生物学创")]
    public void SheetNames_Unique_FollowsExcelsRules(string organization, string expected)
    {
        var name = SheetNames.Unique(organization, SheetNames.Taken(["摘要"]));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(name, Is.EqualTo(expected));
            Assert.That(name.Length, Is.LessThanOrEqualTo(31));
            Assert.That(name.IndexOfAny([':', '\\', '/', '?', '*', '[', ']']), Is.EqualTo(-1));
        }
    }

    [Test]
    public void SheetNames_Clashes_NumberedWithinThirtyOneCharactersIgnoringCase()
    {
        var taken = SheetNames.Taken(["摘要", "单位日程"]);
        var longName = new string('研', 31);
        var emoji = new string('研', 28) + "😀😀";

        var names = new[] { "摘要", "ACME", "acme", longName, longName, emoji, emoji }.Select(n => SheetNames.Unique(n, taken)).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(names, Is.EqualTo(new[]
            {
                "摘要 (2)", "ACME", "acme (2)", longName, new string('研', 27) + " (2)", new string('研', 28) + "😀", new string('研', 27) + " (3)",
            }));
            Assert.That(names.Select(n => n.ToUpperInvariant()), Is.Unique);
        }
    }

    [Test]
    public void Html_PerOrganisationSections_TimeTableCounterpartTopicContactsAndUnmatched()
    {
        var html = Html(WithContacts());

        using (Assert.EnterMultipleScope())
        {
            // Universities first, then enterprises, by name: 中南大学, 华中科技大学, 南开大学, then the enterprises.
            Assert.That(Regex.Count(html, "<article class=\"schedule\""), Is.EqualTo(6));
            Assert.That(html, Does.Contain("<ol class=\"toc\"><li><a href=\"#org-1\">中南大学</a> · 1</li><li><a href=\"#org-2\">华中科技大学</a> · 1</li>"));
            Assert.That(Article(html, 1), Is.EqualTo(
                "<article class=\"schedule\" id=\"org-1\">\n<h3>中南大学<span class=\"en\">高校 University · 1 场会谈 meetings</span></h3>\n"
                + "<p class=\"subtitle\">2025年长三角政产学研对接会</p>\n"
                + "<table class=\"schedule-table\">\n<thead><tr><th class=\"n c-slot\">轮次 Slot</th><th class=\"n c-table\">桌号 Table</th><th class=\"c-org\">对接单位 Counterpart</th>"
                + "<th class=\"c-topic\">会谈主题 Topic（需求 ↔ 成果）</th><th class=\"c-contact\">本方联系人 Our contact</th><th class=\"c-contact\">对方联系人 Their contact</th></tr></thead>\n<tbody>\n"
                + $"<tr><td class=\"n\">第 1 轮 Slot 1</td><td class=\"n\">1</td><td>宁波甬能新能源科技有限公司</td><td class=\"topic\">{BatteryTopic}</td><td>{CsuContact}</td><td>{NingboContact}</td></tr>\n"
                + "</tbody>\n</table>\n<h4>需人工匹配的成果<span class=\"en\">Achievements needing manual matching · 0</span></h4>\n"
                + "<p class=\"empty\">无：每条成果都有强匹配。None: every achievement has a strong match.</p>\n</article>"));
            // 東莞精密沖壓 (org-6): no pair evidence for its meeting, its own contact by organisation, and its unmatched demand.
            var dongguan = Article(html, 6);
            Assert.That(dongguan, Does.Contain("<h3>東莞精密沖壓有限公司<span class=\"en\">企业 Enterprise · 1 场会谈 meetings</span></h3>"));
            Assert.That(dongguan, Does.Contain($"<tr><td class=\"n\">第 2 轮 Slot 2</td><td class=\"n\">1</td><td>华中科技大学</td><td class=\"topic\">—</td><td>{DongguanContact}</td><td>—</td></tr>"));
            Assert.That(dongguan, Does.Contain("<h4>需人工匹配的需求<span class=\"en\">Demands needing manual matching · 1</span></h4>\n<ul class=\"evidence\"><li><span class=\"id\">D2</span>沖壓件表面缺陷自動檢測 · 最接近 closest: A2 &lt;script&gt;alert(1)&lt;/script&gt;基于深度学习的工业产品表面缺陷视觉检测系统 (0.55) · "
                + DongguanContact + "</li></ul>"));
            // 華南農業大學 has no meeting, so no schedule: its record stays in the needs-manual-matching list.
            Assert.That(html, Does.Not.Contain("<h3>華南農業大學<span"));
            Assert.That(html, Does.Contain("<nav>").And.Contain("<a href=\"#schedules\">各单位日程表 Schedules</a>"));
            Assert.That(html, Does.Contain("@page { size: A4;").And.Contain(".schedule { break-before: page;"));
        }
    }

    [Test]
    public void Html_AgendaBySlot_HasTopicAndBothContacts()
    {
        var html = Html(WithContacts());

        Assert.That(html, Does.Contain(
            $"<tr class=\"slot-first\"><td class=\"n\">第 1 轮 Slot 1</td><td class=\"n\">1</td><td>中南大学</td><td>宁波甬能新能源科技有限公司</td><td class=\"n\">0.912</td><td>{BatteryTopic}</td><td>{CsuContact}</td><td>{NingboContact}</td></tr>"));
    }

    [Test]
    public void Html_MoreOrganisationsThanTheLimit_ShowsTheFirstAndNamesTheFiles()
    {
        var html = Html(WithContacts(), new ReportOptions { Organizations = 1 });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Regex.Count(html, "<article class=\"schedule\""), Is.EqualTo(1));
            Assert.That(Regex.Count(html, "<div class=\"university\">"), Is.EqualTo(1));
            Assert.That(html, Does.Contain("仅显示前 1 个单位的日程表（共 6 个），全部单位的日程见 agenda_by_organization.csv 与 report.xlsx 的“单位日程”工作表。"));
            Assert.That(html, Does.Contain("仅显示前 1 所高校（共 2 所），完整列表见 university_view.csv。"));
            // The agenda's compact table links the organisations that have a schedule, and only those.
            Assert.That(html, Does.Contain("<tr><td><a href=\"#org-1\">中南大学</a></td><td>高校 University</td>"));
            Assert.That(html, Does.Contain("<tr><td>华中科技大学</td><td>高校 University</td>"));
        }
    }

    [Test]
    public void Html_NoAgenda_SchedulesSayNoneWasPlanned()
    {
        var html = Html(SampleReport.Build(withAgenda: false));

        Assert.That(html, Does.Contain("<section id=\"schedules\">\n<h2>各单位日程表<span class=\"en\">Schedule per organisation</span></h2>\n<p class=\"empty\">"
            + HtmlReportWriter.NoAgendaSentence + "</p>\n</section>"));
    }

    [Test]
    public void UniversityAnswers_StrongEvidenceOnly_ByUniversityThenBestAchievementThenStrength()
    {
        var report = SampleReport.Build() with
        {
            Pairs =
            [
                new PairScore("中南大学", "宁波甬能新能源科技有限公司", 1.2,
                [
                    new PairEvidence("D1", "动力电池正极材料循环寿命提升", "A1", "高镍正极表面包覆", 1, 0.91),
                    new PairEvidence("D4", "高镍正极残碱控制", "A5", "正极材料体相掺杂", 2, 0.70),
                ]),
                new PairScore("中南大学", "東莞精密沖壓有限公司", 0.8,
                [
                    new PairEvidence("D2", "沖壓件表面缺陷自動檢測", "A5", "正极材料体相掺杂", 1, 0.95),
                    new PairEvidence("D3", "弱匹配需求", "A1", "高镍正极表面包覆", 3, 0.40),
                ]),
                new PairScore("南开大学", "滨海化工", 0.78, [new PairEvidence("D9", "高盐废水处理", "A4", "催化湿式氧化", 1, 0.78)]),
            ],
        };

        var view = UniversityAnswers.From(report);
        var rows = view.SelectMany(u => u.Achievements.SelectMany(a => a.Demands.Select(d => $"{u.University}|{a.Id}|{d.Id}|{d.Enterprise}|{d.Strength.ToString("0.00", CultureInfo.InvariantCulture)}")));

        // A5's best (0.95) beats A1's (0.91); D3 at 0.40 is below the strong threshold of 0.6.
        Assert.That(rows, Is.EqualTo(new[]
        {
            "中南大学|A5|D2|東莞精密沖壓有限公司|0.95",
            "中南大学|A5|D4|宁波甬能新能源科技有限公司|0.70",
            "中南大学|A1|D1|宁波甬能新能源科技有限公司|0.91",
            "南开大学|A4|D9|滨海化工|0.78",
        }));
    }

    [Test]
    public void Html_UniversityView_BoundedPerUniversityWithTheRestCounted()
    {
        // 浙江大学: 12 achievements, each answering 7 demands of 杭州海康智造有限公司 strongly.
        var evidence = Enumerable.Range(1, 12).SelectMany(a => Enumerable.Range(1, 7).Select(d =>
            new PairEvidence($"D{d:00}", $"需求{d}", $"A{a:00}", $"成果{a}", d, 0.99 - a * 0.01 - d * 0.001))).ToList();
        var report = SampleReport.Build() with { Pairs = [new PairScore("浙江大学", "杭州海康智造有限公司", 2.5, evidence)] };

        var html = Html(report);
        var section = html[html.IndexOf("<section id=\"universities\">", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("</section>", StringComparison.Ordinal)];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(section, Does.Contain("<h3>浙江大学<span class=\"en\">12 项成果 achievements</span></h3>"));
            Assert.That(Regex.Count(section, "<tr><td><span class=\"id\">A"), Is.EqualTo(HtmlReportWriter.MaxAnswerAchievements));
            Assert.That(section, Does.Contain("<tr><td><span class=\"id\">A01</span>成果1</td><td><ul class=\"evidence\"><li><span class=\"id\">D01</span>需求1 · 杭州海康智造有限公司 · <span class=\"n\">0.98</span></li>"));
            Assert.That(section, Does.Not.Contain("<span class=\"id\">A11</span>"));
            Assert.That(section, Does.Contain("<li>另有 2 条 · 2 more</li>"));
            Assert.That(section, Does.Contain("<tr><td colspan=\"2\">另有 2 项成果，见 university_view.csv · 2 more achievements in university_view.csv</td></tr>"));
        }
    }

    [Test]
    public void Workbook_ReadBack_PerOrganisationSheetsWithTopicContactsAndUnmatched()
    {
        var workbook = Workbook(WithContacts());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Rows(workbook, "中南大学").Select(Row), Is.EqualTo(new[]
            {
                $"类别=会谈|轮次=1|桌号=1|对接单位=宁波甬能新能源科技有限公司|会谈主题（需求 ↔ 成果）={BatteryTopic}|强度/得分=0.912|本方联系人={CsuContact}|对方联系人={NingboContact}",
            }));
            Assert.That(Rows(workbook, "東莞精密沖壓有限公司").Select(Row), Is.EqualTo(new[]
            {
                $"类别=会谈|轮次=2|桌号=1|对接单位=华中科技大学|会谈主题（需求 ↔ 成果）=|强度/得分=0.55|本方联系人={DongguanContact}|对方联系人=",
                $"类别=需人工匹配（需求）|轮次=|桌号=|对接单位=|会谈主题（需求 ↔ 成果）=D2 沖壓件表面缺陷自動檢測（最接近：A2 {SampleReport.ScriptTitle}）|强度/得分=0.55|本方联系人={DongguanContact}|对方联系人=",
            }));
            Assert.That(Rows(workbook, "宁波甬能新能源科技有限公司").Select(Row).Single(), Does.EndWith($"|本方联系人={NingboContact}|对方联系人={CsuContact}"));
            Assert.That(Rows(workbook, WorkbookWriter.MeetingsSheet).Select(Row).First(), Is.EqualTo(
                $"轮次=1|桌号=1|高校=中南大学|企业=宁波甬能新能源科技有限公司|得分=0.912|会谈主题（需求 ↔ 成果）={BatteryTopic}|高校联系人={CsuContact}|企业联系人={NingboContact}"));
            Assert.That(Rows(workbook, WorkbookWriter.UniversityViewSheet).Select(Row), Is.EqualTo(new[]
            {
                $"高校=中南大学|成果编号=A1|成果名称={SampleReport.Battery.Title}|需求编号=D1|需求名称={SampleReport.BatteryDemand.Title}|企业=宁波甬能新能源科技有限公司|强度=0.91",
                $"高校=南开大学|成果编号=A4|成果名称={SampleReport.Wastewater.Title}|需求编号=D3|需求名称='{SampleReport.FormulaTitle}|企业={SampleReport.ImgEnterprise}|强度=0.78",
            }));
        }
    }

    [Test]
    public void Workbook_MoreOrganisationsThanTheLimit_FirstOnesGetSheetsAndTheSummarySaysSo()
    {
        var workbook = Workbook(WithContacts(), organizations: 2);
        using var stream = new MemoryStream(workbook);
        var names = MiniExcel.GetSheetNames(stream);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(names.Skip(9), Is.EqualTo(new[] { "中南大学", "华中科技大学" }));
            Assert.That(Rows(workbook, WorkbookWriter.OrganizationsSheet), Has.Count.EqualTo(6), "every organisation's meetings stay in 单位日程");
            Assert.That(Rows(workbook, WorkbookWriter.SummarySheet).Select(r => r["值"] as string), Has.Some.StartsWith("共 6 个单位有会谈，前 2 个各有一张日程表"));
        }
    }

    [Test]
    public void AgendaCsv_WithTheReportsBriefs_TopicIdsAndBothSidesContacts()
    {
        var report = WithContacts();
        var briefs = MeetingBriefs.Of(report);
        var bySlot = new StringWriter();
        var byOrganization = new StringWriter();

        AgendaWriter.WriteBySlot(bySlot, report.Agenda!, briefs);
        AgendaWriter.WriteByOrganization(byOrganization, report.Agenda!, briefs);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(bySlot.ToString().Split('\n')[1], Is.EqualTo(
                $"1,1,中南大学,宁波甬能新能源科技有限公司,0.912000,{BatteryTopic},D1,A1,王建国,0731-88836001,wangjg@csu.example.cn,張偉,0574-87651234,zhangwei@yn.example.com"));
            Assert.That(bySlot.ToString().Split('\n')[3], Is.EqualTo("2,1,华中科技大学,東莞精密沖壓有限公司,0.550000,,,,,,,陳美玲,'+86 769 2233 4455,"));
            Assert.That(byOrganization.ToString().Split('\n'), Does.Contain(
                $"宁波甬能新能源科技有限公司,1,1,中南大学,0.912000,enterprise,{BatteryTopic},D1,A1,張偉,0574-87651234,zhangwei@yn.example.com,王建国,0731-88836001,wangjg@csu.example.cn"));
        }
    }
}
