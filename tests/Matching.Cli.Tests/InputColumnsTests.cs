using System.Text;

namespace Matching.Cli.Tests;

/// <summary>Headers as a new user's files have them: --columns on every verb that reads records, the header errors, and
/// the data-quality warnings on stderr (the first 20 of each kind and a count).</summary>
public sealed class InputColumnsTests
{
    private const string Achievements =
        "序号,成果编号,项目名字,项目介绍,完成单位\n"
        + "1,A001,基于深度学习的锂电池健康状态估计,本成果提出一种基于深度学习的锂电池健康状态估计方法，可在线预测电池剩余寿命。,清华大学\n"
        + "2,A002,光伏组件缺陷智能检测系统,利用红外图像和卷积神经网络自动识别光伏组件的隐裂与热斑缺陷。,浙江大学\n";

    [TestCase("match")]
    [TestCase("index")]
    [TestCase("explain")]
    [TestCase("train")]
    [TestCase("evaluate")]
    public void Verb_ColumnsUnknownField_UsageError(string verb)
    {
        var result = Cli.Run(verb, "--columns", "titel=项目名字");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(2));
            Assert.That(result.Err, Does.Contain(
                "--columns: unknown field 'titel' (fields: id, title, abstract, description, keywords, organization, field, industry, "
                + "region, maturity, requiredMaturity, ipType, budget; prefix achievements. or demands. for one file)"));
        }
    }

    [Test]
    public void Match_ColumnsNotFieldEqualsHeader_UsageError()
    {
        var result = Cli.Run("match", "--columns", "title");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(2));
            Assert.That(result.Err, Does.Contain("--columns: expected field=header, not 'title' (e.g. --columns title=项目名称,abstract=项目介绍)"));
        }
    }

    [Test]
    public void Match_UnknownTextHeaders_HeaderErrorThenColumnsMakeItRun()
    {
        using var temp = new TempDir();
        var achievements = temp["achievements.csv"];
        File.WriteAllText(achievements, Achievements, new UTF8Encoding(false));

        var refused = Cli.Run("match", "-a", achievements, "-d", Cli.Sample("demands.csv"), "--out", temp["out"], "--no-report");
        var mapped = Cli.Run("match", "-a", achievements, "-d", Cli.Sample("demands.csv"), "--out", temp["out"], "--no-report",
            "--columns", "title=项目名字,abstract=项目介绍", "--columns", "demands.title=需求名称");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.ExitCode, Is.EqualTo(3));
            Assert.That(refused.Err, Does.Contain(
                $"error: {achievements}:1: no text column: no header means title, abstract or keywords; headers not recognised: 项目名字, 项目介绍 "
                + "(name yours with --columns, e.g. --columns title=项目名字,abstract=项目介绍)"));
            Assert.That(mapped.ExitCode, Is.EqualTo(0), mapped.Err);
            Assert.That(mapped.Err, Does.Contain($"read 2 achievements from {achievements}"));
            Assert.That(mapped.Err, Does.Not.Contain("warning:"));
        }
    }

    [Test]
    public void Index_ColumnsHeaderNotInFile_InputErrorNamingTheFile()
    {
        using var temp = new TempDir();
        var achievements = temp["achievements.csv"];
        File.WriteAllText(achievements, Achievements, new UTF8Encoding(false));

        var result = Cli.Run("index", "-a", achievements, "--index", temp["idx"], "--columns", "title=项目名称,abstract=项目介绍");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(3));
            Assert.That(result.Err, Does.Contain(
                $"error: {achievements}:1: field 'title': --columns names the header '项目名称', which the file does not have; "
                + "headers seen: 序号, 成果编号, 项目名字, 项目介绍, 完成单位; if only the demands file has it, write demands.title=项目名称"));
        }
    }

    [Test]
    public void Index_RowNumberWithoutId_SaysTheRowNumberIsNotAnId()
    {
        using var temp = new TempDir();
        var demands = temp["demands.csv"];
        File.WriteAllText(demands, "序號,需求名稱,需求描述\n1,動力電池壽命預測,需要預測動力電池的剩餘使用壽命。\n", new UTF8Encoding(false));

        var result = Cli.Run("index", "-d", demands, "--index", temp["idx"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(3));
            Assert.That(result.Err, Does.Contain(
                $"error: {demands}:1: field 'id': no id column ('序號' in column 1 numbers the rows, it is not an id); headers seen: 序號, 需求名稱, 需求描述 "
                + "(expected one of: id, 需求编号, 编号, 需求id, demand_id; or name it with --columns id=HEADER)"));
        }
    }

    [Test]
    public void Match_UntitledAndDuplicateRecords_FirstTwentyOfEachKindAndACount()
    {
        using var temp = new TempDir();
        var demands = temp["demands.csv"];
        var text = new StringBuilder("需求编号,需求名称,需求描述,企业名称\n");
        for (var i = 1; i <= 25; i++)
        {
            text.Append(FormattableString.Invariant($"D{i},,需要第{i}种动力电池的剩余寿命预测方法。,宁德时代\n"));
        }

        text.Append("D26,储能电池健康诊断,需要诊断储能电站电池的健康状态。,比亚迪\n");
        text.Append("D27,储能电池 健康诊断,需要诊断储能电站电池的健康状态,比亚迪\n");
        File.WriteAllText(demands, text.ToString(), new UTF8Encoding(false));

        var result = Cli.Run("match", "-a", Cli.Sample("achievements.csv"), "-d", demands, "--out", temp["out"]);

        var untitled = result.Err.Split('\n').Count(l => l.StartsWith($"warning: {demands}:", StringComparison.Ordinal) && l.Contains("field 'title': empty", StringComparison.Ordinal));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
            Assert.That(untitled, Is.EqualTo(20));
            Assert.That(result.Err, Does.Contain(
                $"warning: {demands}:2: field 'title': empty: the record has no title (kept, matched on its description and keywords)"));
            Assert.That(result.Err, Does.Contain($"25 record(s) with no title in {demands} (first 20 shown)"));
            Assert.That(result.Err, Does.Contain(
                $"warning: {demands}:28: field 'title': id 'D27' has the same title and description as id 'D26' at line 27 (kept: both are matched)"));
            Assert.That(result.Err, Does.Contain($"1 record(s) with the same title and text as an earlier record in {demands}\n").Or.Contain($"1 record(s) with the same title and text as an earlier record in {demands}\r\n"));
            Assert.That(result.Err, Does.Contain($"read 27 demands from {demands}"));
            Assert.That(File.ReadAllText(temp["out/report.json"]), Does.EndWith(
                $"  \"dataQuality\": [\n    {{\n      \"file\": \"{demands}\",\n      \"kind\": \"NoTitle\",\n      \"records\": 25\n    }},\n"
                + $"    {{\n      \"file\": \"{demands}\",\n      \"kind\": \"DuplicateText\",\n      \"records\": 1\n    }}\n  ]\n}}\n"));
        }
    }

    [Test]
    public void Index_RecordWithoutOrganization_WarnedWhileStreaming()
    {
        using var temp = new TempDir();
        var achievements = temp["achievements.jsonl"];
        File.WriteAllText(achievements, "{\"id\":\"A1\",\"title\":\"光伏组件缺陷智能检测系统\",\"abstract\":\"利用红外图像自动识别光伏组件的隐裂。\"}\n", new UTF8Encoding(false));

        var result = Cli.Run("index", "-a", achievements, "--index", temp["idx"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
            Assert.That(result.Err, Does.Contain(
                $"warning: {achievements}:1: field 'organization': empty: the record names no organization (kept; pairs and the agenda show it as an organization of its own)"));
            Assert.That(result.Err, Does.Contain($"1 record(s) with no organization in {achievements}"));
        }
    }

    [Test]
    public void Match_SampleEvent_NoDataQualityWarnings()
    {
        using var temp = new TempDir();

        var result = Cli.Run("match", "--out", temp["out"], "--no-report");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
            Assert.That(result.Err, Does.Not.Contain("warning:"));
            Assert.That(result.Err, Does.Not.Contain("record(s) with"));
        }
    }
}
