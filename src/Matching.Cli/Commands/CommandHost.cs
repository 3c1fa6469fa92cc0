using System.Text;
using Matching.Ingestion;

namespace Matching.Cli.Commands;

/// <summary>What every verb shares: the writers, error-to-exit-code mapping and input loading.</summary>
internal sealed class CommandHost(TextWriter stdout, TextWriter stderr)
{
    public TextWriter Out { get; } = stdout;

    public TextWriter Err { get; } = stderr;

    /// <summary>Runs a verb body and turns Matching's exceptions into documented exit codes.</summary>
    public int Execute(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (InputFormatException e)
        {
            Err.WriteLine($"error: {e.Message}");
            return ExitCodes.InputError;
        }
        catch (IndexMismatchException e)
        {
            Err.WriteLine($"error: {e.Message}");
            return ExitCodes.IndexError;
        }
        catch (UsageException e)
        {
            Err.WriteLine($"error: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (Matching.Ranking.ModelFormatException e)
        {
            Err.WriteLine($"error: {e.Message}");
            return ExitCodes.ModelError;
        }
        catch (Matching.Cluster.ClusterException e)
        {
            Err.WriteLine($"error: {e.Message}");
            return ExitCodes.ClusterError;
        }
        catch (MatchingException e)
        {
            Err.WriteLine($"error: {e.Message}");
            return ExitCodes.InputError;
        }
        catch (OperationCanceledException)
        {
            Err.WriteLine("cancelled");
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Err.WriteLine($"error: {e.Message}");
            return ExitCodes.OutputError;
        }
        catch (Exception e)
        {
            Err.WriteLine($"internal error (please report): {e}");
            return ExitCodes.InternalError;
        }
    }

    public void Log(string message) => Err.WriteLine(message);

    public static ReadOptions ReadOptions(string? encoding, string? sheet, string onBadRow) => new()
    {
        Encoding = ParseEncoding(encoding),
        Sheet = sheet,
        OnBadRow = onBadRow == "skip" ? BadRowPolicy.Skip : BadRowPolicy.Fail,
    };

    public IReadOnlyList<Achievement> ReadAchievements(string path, ReadOptions options)
    {
        RequireFile(path, "--achievements");
        var result = RecordReader.ReadAchievements(path, options);
        ReportSkipped(path, result.Problems);
        Log($"read {result.Records.Count} achievements from {path}");
        return result.Records;
    }

    public IReadOnlyList<Demand> ReadDemands(string path, ReadOptions options)
    {
        RequireFile(path, "--demands");
        var result = RecordReader.ReadDemands(path, options);
        ReportSkipped(path, result.Problems);
        Log($"read {result.Records.Count} demands from {path}");
        return result.Records;
    }

    public static void RequireFile(string path, string option)
    {
        if (!File.Exists(path))
        {
            throw new InputFormatException(path, 0, null, $"file not found (given with {option})");
        }
    }

    private void ReportSkipped(string path, IReadOnlyList<InputFormatException> problems)
    {
        if (problems.Count == 0)
        {
            return;
        }

        foreach (var problem in problems.Take(20))
        {
            Err.WriteLine($"skipped: {problem.Message}");
        }

        Err.WriteLine($"skipped {problems.Count} bad row(s) in {path}" + (problems.Count > 20 ? " (first 20 shown)" : ""));
    }

    private static Encoding? ParseEncoding(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        try
        {
            return Encoding.GetEncoding(name, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        }
        catch (ArgumentException)
        {
            throw new UsageException($"unknown encoding '{name}' (try utf-8, gb18030 or gbk)");
        }
    }
}

/// <summary>A command line that parses but makes no sense (exit code 2).</summary>
internal sealed class UsageException(string message) : Exception(message);
