using Matching.Cluster;
using Matching.Ranking;

// Usage: Matching.Cluster.TestSilo REDIS CLUSTER_ID INDEX BATCH_DELAY_MS
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: Matching.Cluster.TestSilo REDIS CLUSTER_ID INDEX BATCH_DELAY_MS");
    return 2;
}

var settings = new ClusterSettings { Redis = args[0], ClusterId = args[1], ProbeTimeout = TimeSpan.FromSeconds(1), MissedProbes = 2 };
SiloHost.Run(settings, new SiloOptions
{
    IndexPath = args[2],
    Ranker = RankerModel.LoadDefault(),
    ModelPath = RankerModel.DefaultPath,
    Threads = 1,
    BatchDelay = TimeSpan.FromMilliseconds(int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture)),
}, Console.Error.WriteLine);
return 0;
