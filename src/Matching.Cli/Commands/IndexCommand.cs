using System.Collections.ObjectModel;
using System.CommandLine;
using System.Globalization;
using Matching.Engine;
using Matching.Ingestion;
using Matching.Cli.Hosting;
using Matching.Indexing;

namespace Matching.Cli.Commands;

/// <summary><c>matching index</c>: build or incrementally update the on-disk indexes.</summary>
internal static class IndexCommand
{
    public static Command Create(CommandHost host)
    {
        var achievements = CommonOptions.Achievements();
        var demands = CommonOptions.Demands();
        var index = new Option<string>("--index") { Description = "Index folder (achievements/ and demands/ inside).", Required = true, HelpName = "DIR" };
        var prune = new Option<bool>("--prune") { Description = "Delete indexed records whose ids are absent from the input." };
        var semantic = new SemanticOptions();
        var rebuild = new Option<bool>("--rebuild") { Description = "Start from empty indexes (needed after changing --analyzer)." };
        var merge = new Option<bool>("--merge") { Description = "Merge each index into one segment at the end: slower to build, faster to query (for catalogues queried by large batches)." };
        var threads = CommonOptions.Threads("Threads that segment and index records; the index answers the same whatever it is.");
        var analyzer = CommonOptions.Analyzer();
        var encoding = CommonOptions.Encoding();
        var sheet = CommonOptions.Sheet();
        var onBadRow = CommonOptions.OnBadRow();

        var command = new Command("index", "Build or update the achievement and demand indexes by id; each run ends in one commit, so an interrupted run leaves the previous index intact.")
        {
            achievements, demands, index, prune, rebuild, analyzer, encoding, sheet, onBadRow, merge, threads,
        };
        var limits = new InputLimitOptions();
        limits.AddTo(command);
        var maxAnalyzedChars = CommonOptions.MaxAnalyzedChars();
        command.Add(maxAnalyzedChars);
        semantic.AddTo(command);

        command.SetAction(parse => host.Execute(() =>
        {
            var achievementsPath = parse.GetValue(achievements);
            var demandsPath = parse.GetValue(demands);
            if (achievementsPath is null && demandsPath is null)
            {
                throw new UsageException("give --achievements, --demands or both");
            }

            if (parse.GetValue(prune) && (achievementsPath is null || demandsPath is null))
            {
                throw new UsageException("--prune needs both --achievements and --demands: a missing input would empty its index");
            }

            var readOptions = limits.ReadOptions(parse, parse.GetValue(encoding), parse.GetValue(sheet), parse.GetValue(onBadRow)!);
            if (achievementsPath is not null)
            {
                CommandHost.RequireFile(achievementsPath, "--achievements");
            }

            if (demandsPath is not null)
            {
                CommandHost.RequireFile(demandsPath, "--demands");
            }

            var options = new EngineOptions
            {
                IndexPath = parse.GetValue(index)!,
                Analyzer = CommonOptions.ParseAnalyzer(parse.GetValue(analyzer)!),
                IndexThreads = parse.GetValue(threads),
                MaxAnalyzedChars = parse.GetValue(maxAnalyzedChars),
                MergeSegments = parse.GetValue(merge),
                Semantic = semantic.On(parse),
                Encoder = semantic.Load(parse, host),
            };

            // Streamed: the inputs are never held in memory, whatever their size; the skipped rows are counted, and
            // only the first ones kept for the report.
            var skipped = new SkippedRows();
            var cut = new SkippedRows("warning: ", "cut {0} long field(s) in {1}");
            var quality = new DataQualityReport();
            var report = MatchingEngine.UpdateIndexFromFiles(achievementsPath, demandsPath, options, readOptions,
                parse.GetValue(prune), parse.GetValue(rebuild), skipped, cut, quality);
            if (achievementsPath is not null)
            {
                skipped.Report(host, achievementsPath);
                cut.Report(host, achievementsPath);
                quality.Report(host, achievementsPath);
                host.Log($"read {Read(report.Achievements)} achievements from {achievementsPath}");
            }

            if (demandsPath is not null)
            {
                skipped.Report(host, demandsPath);
                cut.Report(host, demandsPath);
                quality.Report(host, demandsPath);
                host.Log($"read {Read(report.Demands)} demands from {demandsPath}");
            }

            host.Out.WriteLine($"achievements: {Describe(report.Achievements)}");
            host.Out.WriteLine($"demands: {Describe(report.Demands)}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static int Read(IndexCounts c) => c.Added + c.Updated + c.Unchanged;

    private static string Describe(IndexCounts c) =>
        $"{c.Added} added, {c.Updated} updated, {c.Unchanged} unchanged, {c.Deleted} deleted, {c.Total} in index";

    /// <summary>Rows dropped under <c>--on-bad-row skip</c> (or fields cut under <c>--truncate-long-fields</c>): the first
    /// <see cref="Shown"/> of each file and a count, reported as <see cref="CommandHost"/> reports them for the verbs that
    /// read whole files.</summary>
    private sealed class SkippedRows(string prefix = "skipped: ", string summary = "skipped {0} bad row(s) in {1}") : Collection<InputFormatException>
    {
        private const int Shown = 20;
        private readonly Dictionary<string, (List<InputFormatException> First, int Count)> _byFile = new(StringComparer.Ordinal);

        protected override void InsertItem(int index, InputFormatException item)
        {
            var (first, count) = _byFile.GetValueOrDefault(item.Path, ([], 0));
            if (first.Count < Shown)
            {
                first.Add(item);
            }

            _byFile[item.Path] = (first, count + 1);
        }

        public void Report(CommandHost host, string path)
        {
            if (!_byFile.TryGetValue(path, out var rows))
            {
                return;
            }

            foreach (var problem in rows.First)
            {
                host.Err.WriteLine(prefix + problem.Message);
            }

            host.Err.WriteLine(string.Format(CultureInfo.InvariantCulture, summary, rows.Count, path) + (rows.Count > Shown ? $" (first {Shown} shown)" : ""));
        }
    }
}
