namespace Matching.Testing;

/// <summary>Programs a few tests need besides the .NET SDK (Debian packages, which <c>.ci/run</c> installs). Where one
/// is missing, the test that needs it is skipped on a developer's machine and fails in CI (<c>CI=true</c>), so a CI run
/// can never pass by skipping it. Shared by the test projects (linked into each).</summary>
internal static class Prerequisites
{
    /// <summary>Whether this is a CI run: CI systems set <c>CI=true</c>.</summary>
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Headless Chromium (the report tests load report.html in it).</summary>
    public static string Chromium() => Require("chromium", "Debian: apt-get install chromium", "the report rendering tests need it");

    /// <summary>redis-server (the cluster tests keep Orleans membership in a private one).</summary>
    public static string RedisServer() => Require("redis-server", "Debian: apt-get install redis-server", "the cluster tests need it");

    private static string Require(string program, string install, string why)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin")
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
        if (path is not null)
        {
            return path;
        }

        var message = $"{program} is not installed ({install}); {why}";
        if (InCi)
        {
            Assert.Fail($"{message}. In CI (CI=true) a missing prerequisite fails the test instead of skipping it; .ci/run installs it.");
        }

        Assert.Ignore(message);
        throw new InvalidOperationException("unreachable: Assert.Ignore throws");
    }
}
