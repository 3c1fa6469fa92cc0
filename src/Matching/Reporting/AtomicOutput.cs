using System.Text;

namespace Matching.Reporting;

/// <summary>Writes a set of output files so that either all of them appear or none changes.</summary>
/// <remarks>Each file is written to a hidden temporary name in the target folder, flushed to disk, and only
/// renamed over its final name in <see cref="Commit"/>. Disposing without committing deletes the
/// temporaries, so a failed run leaves the previous outputs untouched.</remarks>
internal sealed class AtomicOutput : IDisposable
{
    private readonly string _directory;
    private readonly List<(string Temp, string Final)> _files = [];
    private bool _committed;

    public AtomicOutput(string directory)
    {
        _directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(_directory);
        RemoveLeftovers(_directory);
    }

    /// <summary>Deletes temporaries of runs that were killed (their process is gone), so they never pile up.</summary>
    private static void RemoveLeftovers(string directory)
    {
        foreach (var path in System.IO.Directory.EnumerateFiles(directory, ".*.tmp"))
        {
            // .NAME.PID.GUID.tmp
            var parts = Path.GetFileName(path).Split('.');
            if (parts.Length < 5 || !int.TryParse(parts[^3], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            if (pid != Environment.ProcessId && !IsRunning(pid))
            {
                try
                {
                    File.Delete(path);
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public string Directory => _directory;

    /// <summary>Writes one file (by bare file name, never a path: names cannot escape the folder). Thread-safe: files
    /// may be written concurrently (not <see cref="Commit"/>).</summary>
    public void Write(string fileName, Action<Stream> write)
    {
        if (fileName != Path.GetFileName(fileName) || fileName is "." or ".." || fileName.Length == 0)
        {
            throw new ArgumentException($"output name '{fileName}' must be a bare file name", nameof(fileName));
        }

        var final = Path.Combine(_directory, fileName);
        var temp = Path.Combine(_directory, $".{fileName}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        lock (_files)
        {
            _files.Add((temp, final));
        }

        using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        write(stream);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Writes one UTF-8 text file (no BOM, \n line ends).</summary>
    public void WriteText(string fileName, Action<TextWriter> write) => Write(fileName, stream =>
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        write(writer);
    });

    public void Commit()
    {
        foreach (var (temp, final) in _files)
        {
            File.Move(temp, final, overwrite: true);
        }

        _committed = true;
    }

    public void Dispose()
    {
        if (_committed)
        {
            return;
        }

        foreach (var (temp, _) in _files)
        {
            try
            {
                File.Delete(temp);
            }
            catch (IOException)
            {
                // Best effort: a leftover hidden .tmp never replaces an output.
            }
        }
    }
}
