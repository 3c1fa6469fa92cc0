using System.Globalization;
using System.Text;
using CsvHelper;
using MiniExcelLibs;

namespace Matching.Cli.Tests;

/// <summary>The outputs an organiser hands out, from a small event whose input files carry contact columns: the
/// achievements with Simplified headers (联系人, 联系电话, 电子邮箱), the demands with Traditional ones (聯絡人, 聯絡電話,
/// 郵箱). Records are the sample's A001–A007 and D001–D005, D007 (known strong pairs, and D007 without one).</summary>
public sealed class HandoutOutputsTests
{
    private static TempDir s_run = null!;

    private static readonly Dictionary<string, string[]> AchievementContacts = new()
    {
        ["A001"] = ["王建国", "0731-88836001", "wangjg@csu.example.cn"],
        ["A003"] = ["陳志強", "020-87110001", "chenzq@scut.example.cn"],
        ["A004"] = ["", "0551-63600001", ""],
        ["A006"] = ["赵磊", "021-54740001", "zhaolei@sjtu.example.cn"],
        ["A007"] = ["孙悦", "021-54740002", ""],
    };

    private static readonly Dictionary<string, string[]> DemandContacts = new()
    {
        ["D001"] = ["張偉", "0574-87651234", "zhangwei@ylxc.example.com"],
        ["D003"] = ["周敏", "0519-86001234", "zhoumin@csrn.example.com"],
        ["D004"] = ["", "", "wn@wanna.example.com"],
    };

    [OneTimeSetUp]
    public static void RunEvent()
    {
        s_run = new TempDir();
        WithContacts(Cli.Sample("achievements.csv"), s_run["achievements.csv"], ["联系人", "联系电话", "电子邮箱"], ["A001", "A002", "A003", "A004", "A005", "A006", "A007"], AchievementContacts);
        WithContacts(Cli.Sample("demands.csv"), s_run["demands.csv"], ["聯絡人", "聯絡電話", "郵箱"], ["D001", "D002", "D003", "D004", "D005", "D007"], DemandContacts);
        var result = Cli.Run("match", "--achievements", s_run["achievements.csv"], "--demands", s_run["demands.csv"], "--out", s_run["out"]);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
    }

    [OneTimeTearDown]
    public static void Cleanup() => s_run.Dispose();

    /// <summary>Copies the chosen rows of a sample file with three contact columns added.</summary>
    private static void WithContacts(string from, string to, string[] headers, string[] ids, Dictionary<string, string[]> contacts)
    {
        using var reader = new StreamReader(from);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        using var writer = new StreamWriter(to, false, new UTF8Encoding(false));
        using var output = new CsvWriter(writer, CultureInfo.InvariantCulture);
        csv.Read();
        csv.ReadHeader();
        foreach (var cell in csv.HeaderRecord!.Concat(headers))
        {
            output.WriteField(cell);
        }

        output.NextRecord();
        while (csv.Read())
        {
            var row = csv.Parser.Record!;
            if (ids.Contains(row[0]))
            {
                foreach (var cell in row.Concat(contacts.GetValueOrDefault(row[0], ["", "", ""])))
                {
                    output.WriteField(cell);
                }

                output.NextRecord();
            }
        }
    }

    private static List<Dictionary<string, string>> Csv(string file)
    {
        using var reader = new StreamReader(file);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        csv.Read();
        csv.ReadHeader();
        var rows = new List<Dictionary<string, string>>();
        while (csv.Read())
        {
            rows.Add(csv.HeaderRecord!.ToDictionary(h => h, h => csv.GetField(h)!));
        }

        return rows;
    }

    private static List<IDictionary<string, object?>> Sheet(string workbook, string sheet) =>
        [.. MiniExcel.Query(workbook, useHeaderRow: true, sheetName: sheet).Cast<IDictionary<string, object?>>()];

    private static string Text(object? cell) => Convert.ToString(cell, CultureInfo.InvariantCulture) ?? "";

    private const string CsuTopic = "高镍三元正极材料残碱控制与循环寿命提升 ↔ 一种高镍三元正极材料的表面包覆与体相掺杂协同改性技术";

    [Test]
    public void AgendaCsv_CarriesTopicAndBothSidesContactsFromTheInputColumns()
    {
        var meetings = Csv(s_run[Path.Combine("out", "agenda_by_slot.csv")]);
        var csu = meetings.Single(m => m["university"] == "中南大学");
        var sjtu = meetings.Single(m => m["university"] == "上海交通大学");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(meetings.Select(m => (m["university"], m["enterprise"])), Is.EquivalentTo(new[]
            {
                ("中南大学", "宁波甬锂新材料科技有限公司"), ("上海交通大学", "淄博齐氢能源装备有限公司"),
                ("华南理工大学", "常州储瑞能源科技有限公司"), ("中国科学技术大学", "滁州皖钠新能源科技有限公司"),
                ("清华大学", "赣州锦源新能源材料有限公司"),
            }));
            Assert.That(new[] { csu["topic"], csu["demand_id"], csu["achievement_id"] }, Is.EqualTo(new[] { CsuTopic, "D001", "A001" }));
            Assert.That(new[] { csu["university_contact"], csu["university_phone"], csu["university_email"] }, Is.EqualTo(new[] { "王建国", "0731-88836001", "wangjg@csu.example.cn" }));
            Assert.That(new[] { csu["enterprise_contact"], csu["enterprise_phone"], csu["enterprise_email"] }, Is.EqualTo(new[] { "張偉", "0574-87651234", "zhangwei@ylxc.example.com" }));
            // D005 has no contact columns filled, so 淄博齐氢's side is empty; 上海交通大学's is A006's.
            Assert.That(new[] { sjtu["topic"], sjtu["university_contact"], sjtu["enterprise_contact"], sjtu["enterprise_phone"] },
                Is.EqualTo(new[] { "PEM电解槽膜电极降本：低铱阳极催化剂开发 ↔ PEM 电解水制氢用低铱载量阳极催化剂及膜电极", "赵磊", "", "" }));
        }
    }

    [Test]
    public void Workbook_ReadBack_ASheetPerOrganisationWithValidUniqueNamesAndExactRows()
    {
        var workbook = s_run[Path.Combine("out", "report.xlsx")];
        var names = MiniExcel.GetSheetNames(workbook);
        var slotOf = Csv(s_run[Path.Combine("out", "agenda_by_slot.csv")]).ToDictionary(m => m["university"], m => m["slot"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(names.Skip(9), Is.EqualTo(new[]
            {
                "上海交通大学", "中南大学", "中国科学技术大学", "华南理工大学", "清华大学",
                "宁波甬锂新材料科技有限公司", "常州储瑞能源科技有限公司", "淄博齐氢能源装备有限公司", "滁州皖钠新能源科技有限公司", "赣州锦源新能源材料有限公司",
            }));
            Assert.That(names.Select(n => n.ToUpperInvariant()), Is.Unique);
            Assert.That(names.All(n => n.Length is > 0 and <= 31 && n.IndexOfAny([':', '\\', '/', '?', '*', '[', ']']) < 0), Is.True);

            var csu = Sheet(workbook, "中南大学").Single();
            Assert.That(new[] { Text(csu["类别"]), Text(csu["轮次"]), Text(csu["对接单位"]), Text(csu["会谈主题（需求 ↔ 成果）"]), Text(csu["本方联系人"]), Text(csu["对方联系人"]) },
                Is.EqualTo(new[] { "会谈", slotOf["中南大学"], "宁波甬锂新材料科技有限公司", CsuTopic, "王建国 · 0731-88836001 · wangjg@csu.example.cn", "張偉 · 0574-87651234 · zhangwei@ylxc.example.com" }));

            // 常州储瑞 meets 华南理工大学 and has D007 (BMS SOC estimation) without a strong match: its sheet says so.
            var changzhou = Sheet(workbook, "常州储瑞能源科技有限公司");
            Assert.That(changzhou.Select(r => Text(r["类别"])), Is.EqualTo(new[] { "会谈", "需人工匹配（需求）" }));
            Assert.That(Text(changzhou[0]["本方联系人"]), Is.EqualTo("周敏 · 0519-86001234 · zhoumin@csrn.example.com"));
            Assert.That(Text(changzhou[0]["对方联系人"]), Is.EqualTo("陳志強 · 020-87110001 · chenzq@scut.example.cn"));
            Assert.That(Text(changzhou[1]["会谈主题（需求 ↔ 成果）"]), Does.StartWith("D007 储能系统BMS的SOC估计精度提升（最接近："));

            // 上海交通大学's A007 (bipolar plates) has no strong match either; its contact is on the row.
            var sjtu = Sheet(workbook, "上海交通大学");
            Assert.That(sjtu.Select(r => Text(r["类别"])), Is.EqualTo(new[] { "会谈", "需人工匹配（成果）" }));
            Assert.That(Text(sjtu[1]["本方联系人"]), Is.EqualTo("孙悦 · 021-54740002"));
        }
    }

    [Test]
    public void UniversityView_CsvAndSheet_StrongAnswersPerUniversity()
    {
        var rows = Csv(s_run[Path.Combine("out", "university_view.csv")]);
        var sheet = Sheet(s_run[Path.Combine("out", "report.xlsx")], "高校视角");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows.Select(r => $"{r["university"]}|{r["achievement_id"]}|{r["demand_id"]}|{r["enterprise"]}"), Is.EqualTo(new[]
            {
                "上海交通大学|A006|D005|淄博齐氢能源装备有限公司",
                "中南大学|A001|D001|宁波甬锂新材料科技有限公司",
                "中国科学技术大学|A004|D004|滁州皖钠新能源科技有限公司",
                "华南理工大学|A003|D003|常州储瑞能源科技有限公司",
                "清华大学|A002|D002|赣州锦源新能源材料有限公司",
            }));
            Assert.That(rows.Select(r => double.Parse(r["strength"], CultureInfo.InvariantCulture)), Is.All.GreaterThanOrEqualTo(0.5));
            Assert.That(sheet.Select(r => $"{Text(r["高校"])}|{Text(r["成果编号"])}|{Text(r["需求编号"])}"),
                Is.EqualTo(rows.Select(r => $"{r["university"]}|{r["achievement_id"]}|{r["demand_id"]}")));
            Assert.That(File.ReadAllText(s_run[Path.Combine("out", "report.html")]), Does.Contain("<section id=\"universities\">"));
        }
    }

    [Test]
    public void AgendaFrom_RePlanned_KeepsTopicsAndContactsFromReportJson()
    {
        using var replanned = new TempDir();

        var result = Cli.Run("agenda", "--from", s_run["out"], "--slots", "2", "--tables", "2", "--out", replanned.Path);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        var meetings = Csv(replanned["agenda_by_slot.csv"]);
        var csu = meetings.SingleOrDefault(m => m["university"] == "中南大学");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(meetings, Has.Count.EqualTo(4));
            Assert.That(meetings.Select(m => m["topic"]), Has.All.Contains(" ↔ "));
            Assert.That(csu?["enterprise_email"], Is.EqualTo("zhangwei@ylxc.example.com"));
            Assert.That(Sheet(replanned["agenda.xlsx"], "按时段").Select(r => Text(r["会谈主题"])), Has.All.Contains(" ↔ "));
        }
    }

    [Test]
    public void Match_TwoRunsWithContacts_ByteIdenticalHandouts()
    {
        using var again = new TempDir();
        var result = Cli.Run("match", "--achievements", s_run["achievements.csv"], "--demands", s_run["demands.csv"], "--out", again.Path);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        using (Assert.EnterMultipleScope())
        {
            foreach (var file in new[] { "report.html", "report.xlsx", "report.json", "agenda_by_slot.csv", "agenda_by_organization.csv", "university_view.csv" })
            {
                Assert.That(File.ReadAllBytes(again[file]), Is.EqualTo(File.ReadAllBytes(s_run[Path.Combine("out", file)])), file);
            }
        }
    }
}
