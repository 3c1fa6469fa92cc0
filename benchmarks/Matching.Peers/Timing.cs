using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Matching.Peers;

/// <summary>Wall time, process CPU time and the calling thread's CPU time. The machine's cores are shared with
/// other work, so CPU time (what the cores spent on this process) is the per-core figure; wall time is reported
/// beside it. Process CPU counts every thread (ML.NET's cursors use more than one; GC and JIT threads too).</summary>
internal static partial class Timing
{
    private const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    public static double ThreadCpuSeconds()
    {
        if (ClockGetTime(ClockThreadCpuTimeId, out var time) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
        }

        return time.Seconds + time.Nanoseconds * 1e-9;
    }

    public static double ProcessCpuSeconds()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalSeconds;
    }

    /// <summary>Runs <paramref name="action"/> once and returns its wall, process-CPU and thread-CPU seconds.</summary>
    public static Sample Measure(Action action)
    {
        var cpu = ProcessCpuSeconds();
        var thread = ThreadCpuSeconds();
        var wall = Stopwatch.GetTimestamp();
        action();
        return new Sample(Stopwatch.GetElapsedTime(wall).TotalSeconds, ProcessCpuSeconds() - cpu, ThreadCpuSeconds() - thread);
    }

    /// <summary>Repeats <paramref name="pass"/> until at least <paramref name="minSeconds"/> of wall time
    /// have passed; returns the time per pass.</summary>
    public static Sample MeasurePasses(Action pass, double minSeconds)
    {
        var cpu = ProcessCpuSeconds();
        var thread = ThreadCpuSeconds();
        var start = Stopwatch.GetTimestamp();
        var passes = 0;
        do
        {
            pass();
            passes++;
        }
        while (Stopwatch.GetElapsedTime(start).TotalSeconds < minSeconds);

        return new Sample(Stopwatch.GetElapsedTime(start).TotalSeconds / passes, (ProcessCpuSeconds() - cpu) / passes, (ThreadCpuSeconds() - thread) / passes);
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

/// <summary>One timed run: wall seconds, process CPU seconds and the calling thread's CPU seconds.</summary>
internal readonly record struct Sample(double Wall, double Cpu, double ThreadCpu);
