using System.Diagnostics;
using System.Text;

namespace Matching.Cli.Tests.Reliability;

/// <summary>The same command run in two fresh processes writes the same bytes: nothing in the outputs depends on
/// the clock, the process, hash seeds, GUIDs or thread timing.</summary>
public sealed class CrossProcessDeterminismTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(3);

    [Test]
    public void Match_TwoChildProcesses_ByteIdenticalOutputsAndStdout()
    {
        using var temp = new TempDir();
        var output = temp["out"];

        // One --out for both runs (read in between), so stdout, which prints the paths, must be identical too.
        var first = RunChild(temp.Path, "match", "--out", output);
        var firstFiles = Files(output);
        var second = RunChild(temp.Path, "match", "--out", output);
        var secondFiles = Files(output);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((first.ExitCode, second.ExitCode), Is.EqualTo((0, 0)), first.Err + second.Err);
            Assert.That(firstFiles.Keys, Is.EquivalentTo(new[]
            {
                "demand_matches.csv", "achievement_matches.csv", "run.trec", "pairs.csv", "needs_manual_matching.csv", "university_view.csv", "agenda_by_slot.csv",
                "agenda_by_organization.csv", "report.html", "report.xlsx", "report.json",
            }));
            Assert.That(secondFiles.Keys, Is.EquivalentTo(firstFiles.Keys));
            foreach (var (name, bytes) in firstFiles)
            {
                Assert.That(secondFiles.GetValueOrDefault(name), Is.EqualTo(bytes), name);
            }

            Assert.That(second.Out, Is.EqualTo(first.Out));
        }
    }

    [Test]
    public void Train_TwoChildProcesses_ByteIdenticalModelMetadataAndStdout()
    {
        using var temp = new TempDir();
        var judgments = temp["judgments.qrels"];
        File.WriteAllLines(judgments, File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "sample_expected_top1.tsv"))
            .Select(line => line.Split('\t'))
            .Select(parts => $"{parts[0]} 0 {parts[1]} 1"));
        var model = temp["ranker.zip"];
        string[] train =
        [
            "train", "-a", Cli.Sample("achievements.csv"), "-d", Cli.Sample("demands.csv"), "-j", judgments,
            "--depth", "20", "--trees", "10", "--leaves", "4", "--min-leaf", "5", "--folds", "2", "--out", model,
        ];

        var first = RunChild(temp.Path, train);
        var firstModel = File.ReadAllBytes(model);
        var firstMetadata = File.ReadAllBytes(temp["ranker.json"]);
        // A later second and another process id: a timestamp or a temporary name that leaked in would show.
        Thread.Sleep(TimeSpan.FromSeconds(2.1));
        var second = RunChild(temp.Path, train);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((first.ExitCode, second.ExitCode), Is.EqualTo((0, 0)), first.Err + second.Err);
            Assert.That(File.ReadAllBytes(model), Is.EqualTo(firstModel), "ranker.zip");
            Assert.That(File.ReadAllBytes(temp["ranker.json"]), Is.EqualTo(firstMetadata), "ranker.json");
            Assert.That(second.Out, Is.EqualTo(first.Out));
            Assert.That(first.Out, Does.Contain("features by gain:"));
        }

        // The rewritten zip is still a model ML.NET and Matching load.
        var evaluate = Cli.Run("evaluate", "-a", Cli.Sample("achievements.csv"), "-d", Cli.Sample("demands.csv"), "-j", judgments,
            "--model", model, "--depth", "20", "--json");
        Assert.That(evaluate.ExitCode, Is.EqualTo(0), evaluate.Err);
    }

    private static Dictionary<string, byte[]> Files(string directory) =>
        Directory.GetFiles(directory).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes, StringComparer.Ordinal);

    /// <summary>Runs <c>dotnet Matching.Cli.dll ARGS</c> from the test's output folder, as a user would run the tool.</summary>
    private static CliResult RunChild(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Matching.Cli.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var child = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        if (!child.WaitForExit(s_timeout))
        {
            child.Kill(entireProcessTree: true);
            Assert.Fail($"matching {args[0]} did not finish within {s_timeout}");
        }

        child.WaitForExit();
        return new CliResult(child.ExitCode, stdout.Result, stderr.Result);
    }
}
