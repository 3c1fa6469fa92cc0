/// <summary>The .NET startup hook of a silo process started with <see cref="Matching.Cluster.Tests.SiloFaults.Environment"/>:
/// the runtime calls <see cref="Initialize"/> before the command's Main. (Startup hooks must be a class named
/// <c>StartupHook</c> outside any namespace.)</summary>
internal static class StartupHook
{
    public static void Initialize() => Matching.Cluster.Tests.SiloFaults.Install();
}
