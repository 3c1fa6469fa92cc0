namespace Matching.Ingestion;

/// <summary>Finds the files Matching reads at run time (dictionaries, OpenCC tables, stop words).</summary>
/// <remarks>The build copies them to <c>resources/</c> next to the assembly, so a consumer never copies
/// anything by hand. <c>MATCHING_RESOURCES</c> points elsewhere, for a layout of one's own.</remarks>
internal static class ResourceLocator
{
    public const string EnvironmentVariable = "MATCHING_RESOURCES";

    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts)
    {
        var path = Path.Combine([Root, .. parts]);
        if (!File.Exists(path) && !System.IO.Directory.Exists(path))
        {
            throw new MatchingException(
                $"Matching's resource '{Path.Combine(parts)}' is missing under {Root}. " +
                $"The build copies resources/ next to the assembly; set {EnvironmentVariable} to another folder if you moved them.");
        }

        return path;
    }

    private static string FindRoot()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Path.GetFullPath(fromEnvironment);
        }

        var nextToAssembly = Path.GetDirectoryName(typeof(ResourceLocator).Assembly.Location);
        foreach (var baseDir in new[] { nextToAssembly, AppContext.BaseDirectory })
        {
            if (!string.IsNullOrEmpty(baseDir) && System.IO.Directory.Exists(Path.Combine(baseDir, "resources")))
            {
                return Path.Combine(baseDir, "resources");
            }
        }

        return Path.Combine(AppContext.BaseDirectory, "resources");
    }
}
