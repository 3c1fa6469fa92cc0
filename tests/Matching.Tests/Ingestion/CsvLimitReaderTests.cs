using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Matching.Ingestion;

namespace Matching.Tests.Ingestion;

public sealed class CsvLimitReaderTests
{
    private static readonly string[] Pieces =
    [
        "锂电池", "a", "\"", "\"\"", ",", "\t", "\r", "\n", "\r\n", " ", "所谓\"卡脖子\"技术", "\"引用\"", "x\"y", "长文本，带标点。", "",
    ];

    [Test]
    public void Read_SampleFiles_PassThroughUnchanged()
    {
        foreach (var name in new[] { "achievements.csv", "demands.csv" })
        {
            var text = File.ReadAllText(Path.Combine(Path.GetDirectoryName(Matching.Ingestion.SampleEvent.AchievementsCsv)!, name));

            Assert.That(Filter(text, ',', 1 << 20, 16_384, 8 << 20, out var hits), Is.EqualTo(text), name);
            Assert.That(hits, Is.Empty);
        }
    }

    [Test]
    public void Read_RandomCsvWithinTheLimits_PassesThroughCharacterForCharacter()
    {
        var random = new Random(7);
        for (var round = 0; round < 500; round++)
        {
            var text = RandomCsv(random, 40);

            Assert.That(Filter(text, ',', 1 << 20, 16_384, 8 << 20, out _), Is.EqualTo(text), $"round {round}");
        }
    }

    [Test]
    public void Read_RandomCsvOverTheLimits_ParsesToTheSameRecordsCut()
    {
        // Whatever is dropped, CsvHelper must see the same number of records, each a prefix-wise cut of the original
        // cells, and never more characters in a cell than the limit (plus the closing quote it was given).
        var random = new Random(11);
        for (var round = 0; round < 500; round++)
        {
            var text = RandomCsv(random, 60);
            var original = Parse(text, ',');
            var limited = Parse(Filter(text, ',', 5, 1000, 1 << 20, out var hits), ',');

            Assert.That(limited, Has.Count.EqualTo(original.Count), $"round {round}: {text}");
            for (var r = 0; r < original.Count; r++)
            {
                Assert.That(limited[r], Has.Length.EqualTo(original[r].Length), $"round {round}, record {r}: {text}");
                for (var c = 0; c < original[r].Length; c++)
                {
                    Assert.That(limited[r][c].Length, Is.LessThanOrEqualTo(Math.Max(5, original[r][c].Length)), $"round {round}: {text}");
                    Assert.That(hits.Any(h => h.Column == c) || limited[r][c] == original[r][c], $"round {round}, record {r}, cell {c}: {text}");
                }
            }
        }
    }

    [Test]
    public void Read_TooManyColumns_RestOfTheRecordDroppedNextRecordIntact()
    {
        var text = "a,b,c,d,e\n1,2\n";

        var limited = Filter(text, ',', 100, 3, 1000, out var hits);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(limited, Is.EqualTo("a,b,c\n1,2\n"));
            Assert.That(hits.Select(h => (h.Kind, h.Column)), Is.EqualTo(new[] { (CsvLimit.Columns, 3) }));
        }
    }

    [Test]
    public void Read_LongQuotedFieldOverLines_ClosesTheQuoteAndCountsTheDroppedLineBreaks()
    {
        var text = "id,text\n1,\"ab\ncd\nef\ngh\",x\n2,y\n";

        var limited = Filter(text, ',', 5, 100, 1000, out var hits);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(limited, Is.EqualTo("id,text\n1,\"ab\nc\",x\n2,y\n"));
            Assert.That(hits.Select(h => (h.Kind, h.Column, h.DroppedLineBreaks)), Is.EqualTo(new[] { (CsvLimit.Field, 1, 2) }));
        }
    }

    private static string Filter(string text, char delimiter, long maxField, int maxColumns, long maxLine, out List<CsvLimitHit> hits)
    {
        using var reader = new CsvLimitReader(new StringReader(text), delimiter, maxField, maxColumns, maxLine);
        var output = new StringBuilder();
        var buffer = new char[7];
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            output.Append(buffer, 0, read);
        }

        hits = reader.TakeHitsBefore(long.MaxValue) ?? [];
        return output.ToString();
    }

    private static List<string[]> Parse(string text, char delimiter)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = delimiter.ToString(),
            HasHeaderRecord = false,
            IgnoreBlankLines = false,
            Mode = CsvMode.RFC4180,
            BadDataFound = null,
        };
        using var parser = new CsvParser(new StringReader(text), config);
        var records = new List<string[]>();
        while (parser.Read())
        {
            records.Add(parser.Record ?? []);
        }

        return records;
    }

    private static string RandomCsv(Random random, int pieces)
    {
        var text = new StringBuilder();
        for (var i = 0; i < pieces; i++)
        {
            text.Append(Pieces[random.Next(Pieces.Length)]);
        }

        // A well-formed file ends its last quoted field: close an open quote so the parse is about limits, not EOF.
        if (text.ToString().Count(c => c == '"') % 2 == 1)
        {
            text.Append('"');
        }

        return text.ToString();
    }
}
