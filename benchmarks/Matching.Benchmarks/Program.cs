using BenchmarkDotNet.Running;
using Matching.Benchmarks;

if (args.Length > 0 && args[0] == "scale-retrieval")
{
    return ScaleRetrieval.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "scale-store")
{
    return ScaleStore.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "scale-profiles")
{
    return ScaleProfiles.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "general-vectors")
{
    return GeneralVectors.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "agenda")
{
    return AgendaMeasurements.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(ScaleRetrieval).Assembly).Run(args);
return 0;
