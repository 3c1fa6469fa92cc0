using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace Matching.Tests.Benchmarks;

/// <summary>Runs every benchmark method once (setup, body, cleanup) so the benchmarks cannot rot.</summary>
public sealed class BenchmarkDryRunTests
{
    private static IEnumerable<TestCaseData> BenchmarkMethods() =>
        typeof(Matching.Benchmarks.SegmentationBenchmarks).Assembly.GetTypes()
            .Where(t => t.IsPublic && !t.IsAbstract)
            .SelectMany(t => t.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
            .Select(m => new TestCaseData(m).SetName($"DryRun_{m.DeclaringType!.Name}_{m.Name}"));

    [TestCaseSource(nameof(BenchmarkMethods))]
    public void DryRun(MethodInfo method)
    {
        var type = method.DeclaringType!;
        var instance = Activator.CreateInstance(type)!;
        foreach (var property in type.GetProperties().Where(p => p.GetCustomAttribute<ParamsAttribute>() is not null))
        {
            property.SetValue(instance, property.GetCustomAttribute<ParamsAttribute>()!.Values[0]);
        }

        Invoke<GlobalSetupAttribute>(type, instance);
        try
        {
            var result = method.Invoke(instance, null);
            Assert.That(result, Is.Not.Null.And.Not.EqualTo(0), $"{type.Name}.{method.Name} returned nothing");
        }
        finally
        {
            Invoke<GlobalCleanupAttribute>(type, instance);
        }
    }

    private static void Invoke<TAttribute>(Type type, object instance) where TAttribute : Attribute
    {
        foreach (var m in type.GetMethods().Where(m => m.GetCustomAttribute<TAttribute>() is not null))
        {
            m.Invoke(instance, null);
        }
    }
}
