using System.Text.Encodings.Web;
using System.Text.Json;

namespace Matching.Peers;

/// <summary>Results go to stdout as one JSON object a line (the scripts collect them); logs go to stderr.</summary>
internal static class Results
{
    public static readonly JsonSerializerOptions Json = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Emit(Dictionary<string, object?> result)
    {
        result["load_avg"] = LoadAverage();
        Console.Out.WriteLine(JsonSerializer.Serialize(result, Json));
        Console.Out.Flush();
    }

    public static void Log(string message) => Console.Error.WriteLine(message);

    public static double[] Walls(IEnumerable<Sample> samples) => [.. samples.Select(s => Math.Round(s.Wall, 6))];

    public static double[] Cpus(IEnumerable<Sample> samples) => [.. samples.Select(s => Math.Round(s.Cpu, 6))];

    public static double[] ThreadCpus(IEnumerable<Sample> samples) => [.. samples.Select(s => Math.Round(s.ThreadCpu, 6))];

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "";
        }
    }
}
