using Matching.Ingestion;

namespace Matching.Tests.Ingestion;

public sealed class OutcomeReaderTests
{
    [Test]
    public void Read_ChineseAndEnglishOutcomes_Graded()
    {
        using var temp = new TempDirectory();
        var path = temp.File("outcomes.csv");
        File.WriteAllText(path, "需求编号,成果编号,结果,原因\nD001,A001,签约,现场签约\nD002,A018,立项,\nD003,A003,met,\nD004,A004,未达成,预算不足\n");

        var judgments = OutcomeReader.Read(path);

        Assert.That(judgments, Is.EqualTo(new[]
        {
            new Judgment("D001", "A001", 3), new Judgment("D002", "A018", 2), new Judgment("D003", "A003", 1), new Judgment("D004", "A004", 0),
        }));
    }

    [TestCase("demand_id,achievement_id,outcome\nD1,A1,maybe\n", "outcomes.csv:2: field 'outcome': unknown outcome")]
    [TestCase("demand_id,achievement_id,outcome\n,A1,signed\n", "outcomes.csv:2: field 'demand_id': missing id")]
    [TestCase("demand_id,achievement_id,outcome\nD1,A1,signed\nD1,A1,met\n", "outcomes.csv:3: field 'achievement_id': pair listed twice (first at line 2)")]
    [TestCase("demand,achievement_id,outcome\nD1,A1,signed\n", "outcomes.csv:1: field 'demand_id': no demand_id column")]
    [TestCase("demand_id,achievement_id,outcome\n", "outcomes.csv: no outcomes")]
    public void Read_BadRows_ErrorNamesLineAndField(string content, string message)
    {
        using var temp = new TempDirectory();
        var path = temp.File("outcomes.csv");
        File.WriteAllText(path, content);

        Assert.That(() => OutcomeReader.Read(path), Throws.TypeOf<InputFormatException>().With.Message.StartsWith(path.Replace("outcomes.csv", "") + message));
    }
}
