using System.Text;
using System.Text.Json;
using Matching.Ingestion;
using Matching.Reporting;

namespace Matching.Tests.Reporting;

public sealed class JsonReportWriterTests
{
    private static byte[] Write(EventReport report)
    {
        using var stream = new MemoryStream();
        JsonReportWriter.Write(report, stream);
        return stream.ToArray();
    }

    [Test]
    public void Write_SampleReport_IsIndentedCamelCaseUtf8()
    {
        var bytes = Write(SampleReport.Build());
        var text = Encoding.UTF8.GetString(bytes);
        using var document = JsonDocument.Parse(bytes);
        var root = document.RootElement;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(root.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "title", "summary", "pairs", "demands", "agenda", "manualMatching", "method" }));
            Assert.That(root.GetProperty("summary").GetProperty("demandsWithStrongMatch").GetInt32(), Is.EqualTo(2));
            Assert.That(root.GetProperty("demands")[1].GetProperty("demand").GetProperty("title").GetString(), Is.EqualTo("沖壓件表面缺陷自動檢測"));
            Assert.That(text, Does.StartWith("{\n  \"title\": \"2025年长三角政产学研对接会\",\n"));
            Assert.That(text, Does.EndWith("}\n"));
            Assert.That(text, Does.Not.Contain("\r"));
        }
    }

    [Test]
    public void Write_ThenRead_RoundTripsTheReport()
    {
        var original = SampleReport.Build();

        var read = JsonSerializer.Deserialize<EventReport>(Write(original), JsonReportWriter.Options)!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(read.Title, Is.EqualTo(original.Title));
            Assert.That(read.Method, Is.EqualTo(original.Method));
            Assert.That(read.Summary.ByRegion, Is.EqualTo(original.Summary.ByRegion));
            Assert.That(read.Summary.StrongThreshold, Is.EqualTo(0.6));
            Assert.That(read.Pairs.Select(p => (p.University, p.Enterprise, p.Score)), Is.EqualTo(original.Pairs.Select(p => (p.University, p.Enterprise, p.Score))));
            Assert.That(read.Pairs[1].Evidence, Is.EqualTo(original.Pairs[1].Evidence));
            Assert.That(read.Demands[2].Demand.Title, Is.EqualTo(SampleReport.FormulaTitle));
            Assert.That(read.Demands[2].Demand.Organization, Is.EqualTo(SampleReport.ImgEnterprise));
            Assert.That(read.Demands[0].Recommendations[0].Achievement.Keywords, Is.EqualTo(SampleReport.Battery.Keywords));
            Assert.That(read.Demands[0].Recommendations[0].Explanation.Snippets[0].Pieces, Is.EqualTo(original.Demands[0].Recommendations[0].Explanation.Snippets[0].Pieces));
            Assert.That(read.Demands[0].Recommendations[0].Explanation.Contributions, Is.EqualTo(original.Demands[0].Recommendations[0].Explanation.Contributions));
            Assert.That(read.Demands[0].Recommendations[1].Score, Is.EqualTo(-0.3125));
            Assert.That(read.Agenda!.Meetings, Is.EqualTo(original.Agenda!.Meetings));
            Assert.That(read.Agenda.Unscheduled, Is.EqualTo(original.Agenda.Unscheduled));
            Assert.That(read.Agenda.UpperBound, Is.EqualTo(2.36));
        }
    }

    [Test]
    public void Write_NoAgendaAndNonFiniteBound_StillWrites()
    {
        var noAgenda = Encoding.UTF8.GetString(Write(SampleReport.Build(withAgenda: false)));
        var report = SampleReport.Build();
        var unbounded = report with { Agenda = report.Agenda! with { UpperBound = double.PositiveInfinity } };

        using (Assert.EnterMultipleScope())
        {
            Assert.That(noAgenda, Does.Contain("\n  \"agenda\": null,\n"));
            Assert.That(Encoding.UTF8.GetString(Write(unbounded)), Does.Contain("\"upperBound\": \"Infinity\""));
        }
    }

    [Test]
    public void Write_DataQualityCounts_WrittenWithKindNamesAndReadBack()
    {
        var report = SampleReport.Build() with
        {
            DataQuality = [new("需求.csv", DataQualityKind.NoTitle, 25), new("需求.csv", DataQualityKind.DuplicateText, 1)],
        };

        var bytes = Write(report);
        var read = JsonSerializer.Deserialize<EventReport>(bytes, JsonReportWriter.Options)!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Encoding.UTF8.GetString(bytes), Does.EndWith(
                "  \"dataQuality\": [\n    {\n      \"file\": \"需求.csv\",\n      \"kind\": \"NoTitle\",\n      \"records\": 25\n    },\n"
                + "    {\n      \"file\": \"需求.csv\",\n      \"kind\": \"DuplicateText\",\n      \"records\": 1\n    }\n  ]\n}\n"));
            Assert.That(read.DataQuality, Is.EqualTo(report.DataQuality));
        }
    }

    [Test]
    public void Write_NoDataQualityCounts_NoDataQualityProperty()
    {
        var text = Encoding.UTF8.GetString(Write(SampleReport.Build()));

        Assert.That(text, Does.Not.Contain("dataQuality"));
    }

    [Test]
    public void Write_SameReportTwice_IsByteIdentical()
    {
        var first = Write(SampleReport.Build());
        var second = Write(SampleReport.Build());

        Assert.That(second, Is.EqualTo(first));
    }
}
