using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using MiniExcelLibs;

namespace Matching.Cli.Tests.Reliability;

/// <summary><c>matching match</c> on achievements and demands whose ids, titles and organisations are script tags,
/// spreadsheet formulas, path traversals, quotes and line breaks: the run succeeds, writes only its own files and only
/// inside <c>--out</c>, and every output carries the text inertly (escaped HTML, apostrophe-prefixed spreadsheet cells,
/// valid JSON).</summary>
public sealed class HostileTextTests
{
    private static readonly string[] Hostile =
    [
        "<script>alert(1)</script>",
        "=HYPERLINK(\"http://x\",\"y\")",
        "+cmd|' /C calc'!A0",
        "@SUM(1)",
        "-2+3",
        "../../etc/passwd",
        "..\\..\\x",
        "引号\"和\n换行",
    ];

    private static readonly string[] OutputFiles =
    [
        "demand_matches.csv", "achievement_matches.csv", "run.trec", "pairs.csv", "needs_manual_matching.csv", "university_view.csv", "agenda_by_slot.csv",
        "agenda_by_organization.csv", "report.html", "report.xlsx", "report.json",
    ];

    [Test]
    public void Match_HostileIdsTitlesAndOrganizations_OutputsStayInOutAndCarryTheTextInertly()
    {
        using var temp = new TempDir();
        // --out sits three folders deep, so ../../ from it still lands inside the folder this test watches.
        var input = Directory.CreateDirectory(temp["in"]).FullName;
        var output = Path.Combine(temp.Path, "deep", "er", "out");
        var achievements = Path.Combine(input, "achievements.csv");
        var demands = Path.Combine(input, "demands.csv");
        WriteHostile(Cli.Sample("achievements.csv"), achievements, (row, i) =>
        {
            row[0] = Hostile[i];
            row[1] = Hostile[i] + " " + row[1];
            row[4] = Hostile[(i + 1) % Hostile.Length];
        });
        WriteHostile(Cli.Sample("demands.csv"), demands, (row, i) =>
        {
            row[0] = Hostile[i] + "需求";
            row[1] = Hostile[(i + 2) % Hostile.Length] + " " + row[1];
            row[4] = Hostile[(i + 5) % Hostile.Length];
        });
        var workingDirectory = Snapshot(Environment.CurrentDirectory, recursive: false);

        var result = Cli.Run("match", "-a", achievements, "-d", demands, "--out", output);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        using (Assert.EnterMultipleScope())
        {
            // Only the known outputs, only in --out; nothing beside the inputs, nothing new where the test runs.
            Assert.That(Directory.GetFiles(output).Select(Path.GetFileName), Is.EquivalentTo(OutputFiles));
            Assert.That(Snapshot(temp.Path, recursive: true), Is.EquivalentTo(
                new[] { achievements, demands }.Concat(OutputFiles.Select(f => Path.Combine(output, f)))));
            Assert.That(Snapshot(Environment.CurrentDirectory, recursive: false).Except(workingDirectory), Is.Empty);
            Assert.That(result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(OutputFiles.Select(f => Path.Combine(output, f))));
        }

        AssertRunFileWellFormed(Path.Combine(output, "run.trec"), CsvCells(Path.Combine(output, "demand_matches.csv")).Count(c => c.Where.EndsWith("column 1", StringComparison.Ordinal)) - 1);
        AssertHtmlEscaped(Path.Combine(output, "report.html"));
        foreach (var csv in OutputFiles.Where(f => f.EndsWith(".csv", StringComparison.Ordinal)))
        {
            AssertCellsInert(csv, CsvCells(Path.Combine(output, csv)));
        }

        AssertCellsInert("report.xlsx", WorkbookTextCells(Path.Combine(output, "report.xlsx")));
        AssertNoFormulas(Path.Combine(output, "report.xlsx"));
        AssertJsonKeepsTheText(Path.Combine(output, "report.json"));
    }

    /// <summary>Rewrites the first rows of a sample file with hostile values (the rest of each record stays, so they
    /// still match and reach every table).</summary>
    private static void WriteHostile(string sample, string target, Action<string[], int> change)
    {
        var lines = File.ReadAllLines(sample);
        using var writer = new StreamWriter(target, false, new UTF8Encoding(true));
        using var csv = new CsvWriter(writer, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\n" });
        for (var i = 0; i < lines.Length; i++)
        {
            var row = lines[i].TrimStart('\uFEFF').Split(',');
            if (i >= 1 && i <= Hostile.Length)
            {
                change(row, i - 1);
            }

            foreach (var cell in row)
            {
                csv.WriteField(cell);
            }

            csv.NextRecord();
        }
    }

    private static HashSet<string> Snapshot(string directory, bool recursive) =>
        [.. Directory.EnumerateFileSystemEntries(directory, "*", recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
            .Where(p => !recursive || File.Exists(p))];

    /// <summary>One six-column line per recommendation, whatever the ids hold (their spaces and line breaks become _).</summary>
    private static void AssertRunFileWellFormed(string path, int recommendations)
    {
        var lines = File.ReadAllText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(lines, Has.Length.EqualTo(recommendations));
            Assert.That(lines.Where(l => l.Split(' ').Length != 6 || l.Split(' ')[1] != "Q0"), Is.Empty);
            Assert.That(lines, Has.Some.StartsWith("<script>alert(1)</script>需求 Q0 "));
            Assert.That(lines, Has.Some.StartsWith("+cmd|'_/C_calc'!A0需求 Q0 "));
            Assert.That(lines, Has.Some.Contains(" Q0 引号\"和_换行 "));
        }
    }

    private static void AssertHtmlEscaped(string path)
    {
        var html = File.ReadAllText(path);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(html, Does.Not.Contain("<script"), "report.html must hold no script element, least of all a user's");
            Assert.That(html, Does.Contain("&lt;script&gt;alert(1)&lt;/script&gt;"), "the title must be there, escaped");
            Assert.That(html, Does.Not.Contain("\"http://x\""), "quotes in user text must be escaped");
            Assert.That(html, Does.Not.Contain("href=\"http://x"));
        }
    }

    private static IEnumerable<(string Where, string Text)> CsvCells(string path)
    {
        using var reader = new StreamReader(path);
        using var parser = new CsvParser(reader, CultureInfo.InvariantCulture);
        var cells = new List<(string, string)>();
        while (parser.Read())
        {
            var record = parser.Record!;
            for (var c = 0; c < record.Length; c++)
            {
                cells.Add(($"row {parser.Row}, column {c + 1}", record[c]));
            }
        }

        return cells;
    }

    private static IEnumerable<(string Where, string Text)> WorkbookTextCells(string path)
    {
        var cells = new List<(string, string)>();
        foreach (var sheet in MiniExcel.GetSheetNames(path))
        {
            var row = 0;
            foreach (IDictionary<string, object?> values in MiniExcel.Query(path, useHeaderRow: false, sheetName: sheet))
            {
                row++;
                cells.AddRange(values.Where(v => v.Value is string).Select(v => ($"{sheet}!{v.Key}{row}", (string)v.Value!)));
            }
        }

        return cells;
    }

    /// <summary>No text cell may start as a formula (= + @, or - unless it is a number), and the hostile text must
    /// be there, behind an apostrophe.</summary>
    private static void AssertCellsInert(string file, IEnumerable<(string Where, string Text)> cells)
    {
        var all = cells.ToList();
        var live = all.Where(c => c.Text.Length > 0 && c.Text[0] is '=' or '+' or '@' or '\t' or '\r'
            || (c.Text.StartsWith('-') && !double.TryParse(c.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(live.Select(c => $"{file} {c.Where}: {c.Text}"), Is.Empty);
            if (file is not "agenda_by_slot.csv" and not "agenda_by_organization.csv" and not "pairs.csv")
            {
                Assert.That(all.Any(c => c.Text.StartsWith("'=HYPERLINK(\"http://x\",\"y\")", StringComparison.Ordinal)), Is.True, $"{file} must carry the formula text as text");
                Assert.That(all.Any(c => c.Text.StartsWith("'-2+3", StringComparison.Ordinal)), Is.True, $"{file} must carry -2+3 as text");
            }
        }
    }

    private static void AssertNoFormulas(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        foreach (var entry in zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(entry.Open());
            var xml = reader.ReadToEnd();
            Assert.That(xml, Does.Not.Contain("<x:f>").And.Not.Contain("<f>").And.Not.Contain("<x:f ").And.Not.Contain("<f "), entry.FullName);
        }
    }

    private static void AssertJsonKeepsTheText(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(path));
        var strings = new List<string>();
        Collect(json.RootElement, strings);
        Assert.That(Hostile.Where(h => !strings.Any(s => s.Contains(h, StringComparison.Ordinal))), Is.Empty, "report.json keeps user text as it was");
    }

    private static void Collect(JsonElement element, List<string> strings)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                strings.Add(element.GetString()!);
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Collect(property.Value, strings);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, strings);
                }

                break;
            default:
                break;
        }
    }
}
