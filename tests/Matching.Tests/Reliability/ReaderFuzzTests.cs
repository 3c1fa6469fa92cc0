using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Matching.Aggregation;
using Matching.Ingestion;
using Matching.Scheduling;
using MiniExcelLibs;
using Matching.Engine;

namespace Matching.Tests.Reliability;

/// <summary>Every reader, fed more than 10,000 deterministic malformed inputs, either succeeds or throws Matching's own
/// <see cref="InputFormatException"/> naming the file (and the line, where it has one) — never another exception, a
/// hang or an out-of-memory.</summary>
public sealed partial class ReaderFuzzTests
{
    private const int CasesPerTarget = 760;
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(10);

    // Problems about the whole file rather than a line: these alone may come without a line number.
    private static readonly string[] FileLevelProblems =
    [
        "empty file", "empty sheet", "no records", "no outcomes", "file not found", "not a valid .xlsx workbook",
        "no sheet named", "unsupported file type", "strongMatch", "softPreferences", "filters.", "agenda ", "hardFilters",
        "the workbook", "the file is",
    ];

    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(90);

    private string _directory = null!;

    [OneTimeSetUp]
    public void CreateDirectory()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        _directory = Path.Combine(Path.GetTempPath(), "matching-fuzz-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [OneTimeTearDown]
    public void DeleteDirectory()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file a hung reader still holds; the temp folder is cleaned by the system.
        }
    }

    [Test]
    public void Readers_TenThousandMalformedInputs_SucceedOrThrowInputFormatExceptionNamingFileAndLine()
    {
        var targets = Targets();
        var generators = targets.Select(t => new MalformedInputs(t)).ToList();
        var cases = new List<FuzzCase>();
        var number = 0;
        foreach (var generator in generators)
        {
            cases.Add(generator.SeedCase(number++));
            for (var i = 0; i < CasesPerTarget; i++)
            {
                cases.Add(generator.Create(number++, i));
            }

            foreach (var big in generator.BigCases(number))
            {
                cases.Add(big);
                number++;
            }
        }

        var clock = Stopwatch.StartNew();
        var results = Run(cases);
        clock.Stop();

        PrintTables(results, clock.Elapsed);
        var unexpected = results.Where(r => r.Unexpected is not null).ToList();
        var seedFailures = results.Where(r => r.Case.Mutation == "valid seed" && r.Outcome != "success").ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(results, Has.Count.GreaterThanOrEqualTo(10_000));
            Assert.That(seedFailures.Select(r => $"{r.Case}: {r.Outcome}"), Is.Empty, "the valid seeds must read");
            Assert.That(unexpected.Select(r => $"{r.Case}: {r.Unexpected}"), Is.Empty, Examples(unexpected));
            Assert.That(results.Select(r => r.Case.Target.Name).Distinct().Count(), Is.EqualTo(targets.Count));
            Assert.That(clock.Elapsed, Is.LessThan(s_budget));
        }
    }

    // ------------------------------------------------------------------ targets

    private static List<FuzzTarget> Targets()
    {
        var achievements = FuzzSeeds.AchievementRows;
        var demands = FuzzSeeds.DemandRows;
        Action<string, ReadOptions?> readAchievements = (path, options) =>
            CheckRecords(RecordReader.ReadAchievements(path, options).Records.Select(a => (a.Id, a.Title.Length + a.Abstract.Length + a.Keywords.Count > 0)));
        Action<string, ReadOptions?> readDemands = (path, options) =>
            CheckRecords(RecordReader.ReadDemands(path, options).Records.Select(d => (d.Id, d.Title.Length + d.Description.Length + d.Keywords.Count > 0)));

        return
        [
            Records("RecordReader.ReadAchievements", ".csv", InputFormat.Table, ',', achievements, FuzzSeeds.AchievementKeys, readAchievements),
            Records("RecordReader.ReadAchievements", ".tsv", InputFormat.Table, '\t', achievements, FuzzSeeds.AchievementKeys, readAchievements),
            Records("RecordReader.ReadAchievements", ".jsonl", InputFormat.Jsonl, ',', achievements, FuzzSeeds.AchievementKeys, readAchievements),
            Records("RecordReader.ReadAchievements", ".xlsx", InputFormat.Xlsx, ',', achievements, FuzzSeeds.AchievementKeys, readAchievements),
            Records("RecordReader.ReadDemands", ".csv", InputFormat.Table, ',', demands, FuzzSeeds.DemandKeys, readDemands),
            Records("RecordReader.ReadDemands", ".tsv", InputFormat.Table, '\t', demands, FuzzSeeds.DemandKeys, readDemands),
            Records("RecordReader.ReadDemands", ".jsonl", InputFormat.Jsonl, ',', demands, FuzzSeeds.DemandKeys, readDemands),
            Records("RecordReader.ReadDemands", ".xlsx", InputFormat.Xlsx, ',', demands, FuzzSeeds.DemandKeys, readDemands),
            Other("JudgmentReader.Read (qrels)", ".qrels", InputFormat.Trec, FuzzSeeds.Qrels, path =>
            {
                foreach (var j in JudgmentReader.Read(path))
                {
                    Check(j.DemandId.Length > 0 && j.AchievementId.Length > 0, "a judgment with an empty id");
                }
            }),
            Other("RunReader.Read (candidates)", ".run", InputFormat.Trec, FuzzSeeds.Run, path =>
            {
                foreach (var e in RunReader.Read(path))
                {
                    Check(e.Rank >= 1 && double.IsFinite(e.Score) && e.DemandId.Length > 0 && e.AchievementId.Length > 0, $"a bad run entry {e}");
                }
            }),
            Other("EventOptions.Load", ".json", InputFormat.Json, FuzzSeeds.Options, path => CheckOptions(EventOptions.Load(path))),
            Other("OutcomeReader.Read", ".csv", InputFormat.Table, FuzzSeeds.Outcomes, path =>
            {
                foreach (var j in OutcomeReader.Read(path))
                {
                    Check(j.DemandId.Length > 0 && j.AchievementId.Length > 0 && j.Grade is >= 0 and <= 3, $"a bad outcome {j}");
                }
            }, FuzzSeeds.Outcomes),
            Other("CapacityReader.Read", ".csv", InputFormat.Table, FuzzSeeds.Capacities, path =>
            {
                foreach (var c in CapacityReader.Read(path))
                {
                    Check(c.Organization.Length > 0 && c.Capacity >= 0 && c.UnavailableSlots.All(s => s >= 1), $"a bad capacity {c.Organization}");
                }
            }, FuzzSeeds.Capacities),
            Other("PairListReader.Read", ".csv", InputFormat.Table, FuzzSeeds.Pairs, path =>
            {
                foreach (var p in PairListReader.Read(path))
                {
                    Check(p.University.Length > 0 && p.Enterprise.Length > 0 && double.IsFinite(p.Score) && p.Score >= 0, $"a bad pair {p}");
                }
            }, FuzzSeeds.Pairs),
        ];
    }

    private static FuzzTarget Records(string reader, string extension, InputFormat format, char delimiter, string[][] rows, string[] keys, Action<string, ReadOptions?> read) => new()
    {
        Name = $"{reader} {extension}",
        Extension = extension,
        Format = format,
        Delimiter = delimiter,
        Rows = rows,
        JsonKeys = keys,
        Seed = format switch
        {
            InputFormat.Table => FuzzSeeds.Utf8(FuzzSeeds.Table(rows, delimiter), bom: delimiter == ','),
            InputFormat.Jsonl => FuzzSeeds.Utf8(FuzzSeeds.Jsonl(rows, keys)),
            _ => MiniExcelWorkbook(rows),
        },
        Read = read,
        TakesOptions = true,
    };

    private static FuzzTarget Other(string name, string extension, InputFormat format, string seed, Action<string> read, string? table = null) => new()
    {
        Name = name,
        Extension = extension,
        Format = format,
        Rows = table is null ? null : ParseCsv(table),
        Seed = FuzzSeeds.Utf8(seed, bom: format == InputFormat.Table),
        Read = (path, _) => read(path),
    };

    private static string[][] ParseCsv(string text)
    {
        using var parser = new CsvHelper.CsvParser(new StringReader(text), CultureInfo.InvariantCulture);
        var rows = new List<string[]>();
        while (parser.Read())
        {
            rows.Add(parser.Record!);
        }

        return [.. rows];
    }

    private static byte[] MiniExcelWorkbook(string[][] rows)
    {
        var records = rows.Skip(1).Select(row =>
        {
            var record = new Dictionary<string, object>(StringComparer.Ordinal);
            for (var i = 0; i < rows[0].Length; i++)
            {
                record[rows[0][i]] = row[i];
            }

            return record;
        }).ToList();
        using var stream = new MemoryStream();
        stream.SaveAs(records, sheetName: "成果清单");
        return stream.ToArray();
    }

    private static void CheckRecords(IEnumerable<(string Id, bool HasText)> records)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, hasText) in records)
        {
            Check(id.Length > 0 && id == id.Trim(), "a record with an empty or untrimmed id");
            Check(ids.Add(id), $"duplicate id '{id}'");
            Check(hasText, $"record '{id}' has no text");
        }

        Check(ids.Count > 0, "no records but no exception");
    }

    private static void CheckOptions(EventOptions options)
    {
        Check(options.Title is not null && options.HostRegion is not null, "a null title or host region");
        Check(options.HardFilters is not null && options.SoftPreferences is not null && options.Filters is not null, "a null section");
        Check(options.HardFilters!.AllowedIpTypes is { } ip && ip.All(t => t is not null), "a null allowedIpTypes or element");
        Check(options.HardFilters.SameRegionRequiredFor is { } same && same.All(t => t is not null), "a null sameRegionRequiredFor or element");
        Check(options.Filters!.Regions is { } regions && regions.All(t => t is not null), "a null regions or element");
        Check(options.Filters.Industries is { } industries && industries.All(t => t is not null), "a null industries or element");
        Check(options.StrongMatch is >= 0 and <= 1 && double.IsFinite(options.Filters.MinPairScore), "an out-of-range number");
    }

    private static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvariantViolation(what);
        }
    }

    // ------------------------------------------------------------------ running

    private sealed record FuzzResult(FuzzCase Case, string Outcome, string? Unexpected, TimeSpan Elapsed);

    private List<FuzzResult> Run(List<FuzzCase> cases)
    {
        var results = new FuzzResult[cases.Count];
        var next = -1;
        var workers = Enumerable.Range(0, Math.Max(2, Environment.ProcessorCount)).Select(_ => new Thread(() =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < cases.Count)
            {
                results[i] = Execute(cases[i]);
            }
        }) { IsBackground = true }).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        return [.. results];
    }

    private FuzzResult Execute(FuzzCase fuzzCase)
    {
        var path = Path.Combine(_directory, $"case{fuzzCase.Number:D5}{fuzzCase.Target.Extension}");
        File.WriteAllBytes(path, fuzzCase.Bytes());
        var clock = Stopwatch.StartNew();
        Exception? error = null;
        var task = Task.Factory.StartNew(() =>
        {
            try
            {
                fuzzCase.Target.Read(path, fuzzCase.Options);
            }
            catch (Exception e)
            {
                error = e;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (!task.Wait(CaseTimeout))
        {
            return new FuzzResult(fuzzCase, "hang", $"no result after {CaseTimeout.TotalSeconds} s", clock.Elapsed);
        }

        clock.Stop();
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }

        var (outcome, unexpected) = Classify(path, error);
        return new FuzzResult(fuzzCase, outcome, unexpected, clock.Elapsed);
    }

    private static (string Outcome, string? Unexpected) Classify(string path, Exception? error)
    {
        switch (error)
        {
            case null:
                return ("success", null);
            case InputFormatException e:
                var kind = "InputFormatException: " + Kind(e.Problem);
                var prefix = e.Line > 0 ? $"{path}:{e.Line}: " : $"{path}: ";
                if (!e.Message.StartsWith(prefix, StringComparison.Ordinal) || e.Line < 0)
                {
                    return (kind, $"message does not start with '{prefix}': {e.Message}");
                }

                if (e.Line == 0 && !Array.Exists(FileLevelProblems, p => e.Problem.StartsWith(p, StringComparison.Ordinal)))
                {
                    return (kind, $"no line for a problem that has one: {e.Message}");
                }

                if (e.Message.Length > 2_000)
                {
                    return (kind, $"a message of {e.Message.Length} characters: {e.Message[..200]}…");
                }

                return (kind, null);
            case MatchingException e:
                return e.Message.Contains(path, StringComparison.Ordinal)
                    ? ("MatchingException", null)
                    : ("MatchingException", $"message does not name the file: {e.Message}");
            case InvariantViolation e:
                return ("success with a broken invariant", e.Message);
            default:
                return ($"{error.GetType().Name}", $"{error.GetType().FullName}: {error.Message}\n{string.Join('\n', (error.StackTrace ?? "").Split('\n').Take(6))}");
        }
    }

    /// <summary>The problem with values, numbers and details taken out, so that the table counts kinds.</summary>
    private static string Kind(string problem)
    {
        var kind = Quoted().Replace(problem, "'…'");
        kind = CellReference().Replace(kind, "A1");
        kind = Hex().Replace(kind, "0x..");
        kind = Digits().Replace(kind, "N");
        var cut = kind.IndexOfAny([':', ';', '(']);
        kind = (cut > 0 ? kind[..cut] : kind).Trim();
        return kind.Length > 70 ? kind[..70] + "…" : kind;
    }

    [GeneratedRegex("'[^']*'")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\b[A-Z]{1,3}[0-9]+\b")]
    private static partial Regex CellReference();

    [GeneratedRegex("(0x[0-9A-F]{2} ?)+")]
    private static partial Regex Hex();

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();

    private static void PrintTables(List<FuzzResult> results, TimeSpan elapsed)
    {
        var output = TestContext.Out;
        output.WriteLine($"{results.Count} cases in {elapsed.TotalSeconds:0.0} s; slowest {results.Max(r => r.Elapsed).TotalMilliseconds:0} ms ({results.MaxBy(r => r.Elapsed)!.Case})");
        output.WriteLine();
        output.WriteLine("| outcome | cases |");
        output.WriteLine("|---|---:|");
        foreach (var group in results.GroupBy(r => r.Outcome).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"| {group.Key} | {group.Count().ToString("N0", CultureInfo.InvariantCulture)} |");
        }

        output.WriteLine();
        output.WriteLine("| reader | cases | success | InputFormatException | unexpected |");
        output.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var group in results.GroupBy(r => r.Case.Target.Name))
        {
            output.WriteLine($"| {group.Key} | {group.Count()} | {group.Count(r => r.Outcome == "success")} | "
                + $"{group.Count(r => r.Outcome.StartsWith("InputFormatException", StringComparison.Ordinal))} | {group.Count(r => r.Unexpected is not null)} |");
        }

        output.WriteLine();
        output.WriteLine("| mutation class | cases | success |");
        output.WriteLine("|---|---:|---:|");
        foreach (var group in results.GroupBy(r => r.Case.Mutation).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"| {group.Key} | {group.Count()} | {group.Count(r => r.Outcome == "success")} |");
        }

        var unexpected = results.Where(r => r.Unexpected is not null).ToList();
        if (unexpected.Count > 0)
        {
            output.WriteLine();
            output.WriteLine(Examples(unexpected));
        }
    }

    private static string Examples(List<FuzzResult> unexpected)
    {
        var examples = new ConcurrentDictionary<string, List<FuzzResult>>();
        foreach (var result in unexpected)
        {
            var list = examples.GetOrAdd($"{result.Case.Target.Name} / {result.Outcome}", _ => []);
            if (list.Count < 3)
            {
                list.Add(result);
            }
        }

        return string.Join("\n\n", examples.OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => $"{e.Key}:\n" + string.Join("\n", e.Value.Select(r => $"  {r.Case}: {r.Unexpected}"))));
    }
}
