using System.Text.RegularExpressions;
using Lucene.Net.Index;
using Lucene.Net.Store;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Matching.Indexing;

/// <summary>Opens committed indexes so that damage is reported, not crashed on or silently served.</summary>
/// <remarks>
/// <para>A damaged file shows up in many shapes depending on where the bytes went: a truncated compound file
/// throws <see cref="ArgumentException"/> ("slice() out of bounds"), a zeroed header a
/// <see cref="FileNotFoundException"/> for a sub-file, a cut-off segments file an <see cref="EndOfStreamException"/>.
/// Bytes overwritten in the middle of a file open without complaint and would be searched; only the checksum
/// every Lucene 4.8 file ends with catches them, so on-disk indexes are verified when opened (a sequential read
/// of the index). When anything goes wrong while opening, Lucene's <see cref="CheckIndex"/> decides: damage
/// becomes an <see cref="IndexMismatchException"/> carrying its verdict; if it finds none, the original error
/// propagates unchanged.</para>
/// </remarks>
internal static partial class IndexIntegrity
{
    private const int MaxDetailLength = 300;

    /// <summary>Opens the latest commit of <paramref name="directory"/>; with <paramref name="verifyChecksums"/>,
    /// every file of an on-disk index is checked against its checksum first.</summary>
    /// <exception cref="IndexMismatchException">The index is damaged (the message carries CheckIndex's verdict).</exception>
    public static DirectoryReader Open(LuceneDirectory directory, RecordKind kind, bool verifyChecksums = true)
    {
        DirectoryReader? reader = null;
        try
        {
            reader = DirectoryReader.Open(directory);
            if (verifyChecksums && directory is FSDirectory)
            {
                foreach (var leaf in reader.Leaves)
                {
                    leaf.AtomicReader.CheckIntegrity();
                }
            }

            return reader;
        }
        catch (Exception e) when (MaySignalDamage(e))
        {
            reader?.Dispose();
            if (Diagnose(directory, kind, e) is { } damaged)
            {
                throw damaged;
            }

            throw;
        }
    }

    /// <summary>Runs <paramref name="read"/> over an open index, turning a failure caused by damage into an
    /// <see cref="IndexMismatchException"/> (for reads that decode data, such as every stored id).</summary>
    public static T Read<T>(LuceneDirectory directory, RecordKind kind, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (MaySignalDamage(e))
        {
            if (Diagnose(directory, kind, e) is { } damaged)
            {
                throw damaged;
            }

            throw;
        }
    }

    /// <summary>Whether an exception thrown while opening an index may come from damaged files (worth a CheckIndex).</summary>
    /// <remarks>Deliberately broad: corrupt data surfaces as argument, index, cast or format errors as much as I/O
    /// errors. Permission problems and cancellation are never damage.</remarks>
    public static bool MaySignalDamage(Exception e) =>
        e is not (UnauthorizedAccessException or OperationCanceledException or OutOfMemoryException or MatchingException
            or IndexFormatTooOldException or IndexFormatTooNewException);

    /// <summary>The damage CheckIndex finds in <paramref name="directory"/> as an exception to throw, or null when
    /// it finds none (then <paramref name="failure"/> had another cause).</summary>
    public static IndexMismatchException? Diagnose(LuceneDirectory directory, RecordKind kind, Exception failure)
    {
        var verdict = Verdict(directory);
        return verdict is null
            ? null
            : new IndexMismatchException(
                $"the {Name(kind)} index in {IndexIdentity.Describe(directory)} is damaged: {verdict}; " +
                "rebuild it from the original inputs with `matching index --rebuild`.", failure);
    }

    /// <summary>Lucene CheckIndex's verdict on <paramref name="directory"/> in one line, or null for a clean index.</summary>
    /// <remarks>A full CheckIndex decodes every posting and stored document (74 s for a million records); segments
    /// that fail to open or to match their checksums are found in seconds, so when any do, only they are checked.</remarks>
    internal static string? Verdict(LuceneDirectory directory)
    {
        using var log = new StringWriter();
        CheckIndex.Status status;
        try
        {
            var checker = new CheckIndex(directory) { InfoStream = log };
            status = SuspectSegments(directory) is { } suspects ? checker.DoCheckIndex(suspects) : checker.DoCheckIndex();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return $"Lucene CheckIndex could not run ({FirstLine(e.ToString())})";
        }

        return status.Clean ? null : "Lucene CheckIndex: " + Summarize(status, log.ToString());
    }

    /// <summary>The segments of the latest commit that cannot be opened or fail their checksums; null when none can be
    /// singled out (the segments file itself is unreadable, or every segment passes), so that all are checked.</summary>
    private static List<string>? SuspectSegments(LuceneDirectory directory)
    {
        var infos = new SegmentInfos();
        try
        {
            infos.Read(directory);
        }
        catch (Exception e) when (MaySignalDamage(e))
        {
            return null;
        }

        var suspects = new List<string>();
        foreach (var segment in infos.Segments)
        {
            try
            {
                using var reader = new SegmentReader(segment, DirectoryReader.DEFAULT_TERMS_INDEX_DIVISOR, IOContext.READ_ONCE);
                reader.CheckIntegrity();
            }
            catch (Exception e) when (MaySignalDamage(e))
            {
                suspects.Add(segment.Info.Name);
            }
        }

        return suspects.Count > 0 ? suspects : null;
    }

    /// <summary>CheckIndex's own summary line and, per failed test, the segment, the test and the error's first line.</summary>
    internal static string Summarize(CheckIndex.Status status, string log)
    {
        var lines = log.Split('\n').Select(l => l.Trim()).ToArray();
        string? summary = null;
        string segment = "?";
        string test = "open";
        var details = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (SegmentHeader().Match(line) is { Success: true } header)
            {
                segment = header.Groups["name"].Value;
                test = "open";
            }
            else if (line.StartsWith("test: ", StringComparison.Ordinal) && line.EndsWith("FAILED", StringComparison.Ordinal))
            {
                test = line["test: ".Length..^"FAILED".Length].TrimEnd('.', ' ');
            }
            else if (line.EndsWith("full exception:", StringComparison.Ordinal) && NextNonEmpty(lines, i) is { } error)
            {
                details.Add($"segment {segment}: {test} FAILED ({FirstLine(error)})");
            }
            else if (line.StartsWith("WARNING: ", StringComparison.Ordinal) && line.Contains("broken segments", StringComparison.Ordinal))
            {
                summary = line["WARNING: ".Length..];
            }
            else if (line.StartsWith("ERROR: ", StringComparison.Ordinal))
            {
                summary = line["ERROR: ".Length..] + (NextNonEmpty(lines, i) is { } cause ? $" ({FirstLine(cause)})" : "");
            }
        }

        summary ??= status switch
        {
            { MissingSegments: true } => "could not read any segments file in directory",
            { CantOpenSegments: true } => "could not open the segments file",
            { ToolOutOfDate: true } => "the index was written by a newer Lucene",
            _ => $"{status.NumBadSegments} broken segments (containing {status.TotLoseDocCount} documents) detected",
        };
        return details.Count == 0 ? summary : $"{summary}; {string.Join("; ", details)}";
    }

    private static string? NextNonEmpty(string[] lines, int i)
    {
        for (var j = i + 1; j < lines.Length; j++)
        {
            if (lines[j].Length > 0)
            {
                return lines[j];
            }
        }

        return null;
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n')[0].Trim();
        return line.Length <= MaxDetailLength ? line : line[..(MaxDetailLength - 3)] + "...";
    }

    private static string Name(RecordKind kind) => kind == RecordKind.Achievements ? "achievement" : "demand";

    [GeneratedRegex(@"^\d+ of \d+: name=(?<name>\S+)")]
    private static partial Regex SegmentHeader();
}
