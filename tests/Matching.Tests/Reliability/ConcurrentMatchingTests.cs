using System.Reflection;
using Matching.Engine;
using Matching.Ranking;
using Matching.Retrieval;

namespace Matching.Tests.Reliability;

/// <summary>One engine, many threads: every answer must be exactly the one a single thread gets.</summary>
public sealed class ConcurrentMatchingTests
{
    private const int VariantsPerDemand = 15;
    private const int VariantsPerAchievement = 16;

    [Test]
    public void MatchDemandAndMatchAchievement_EightThreads_IdenticalToSequential()
    {
        using var engine = MatchingEngine.Create(SampleEvent.Achievements, SampleEvent.Demands,
            new EngineOptions { Ranker = RankerModel.Load(RankerModel.DefaultPath) });
        var queries = Queries();
        Assert.That(queries, Has.Count.GreaterThanOrEqualTo(3_000));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var sequential = queries.Select(q => Describe(q(engine))).ToArray();
        var sequentialTime = clock.Elapsed;
        var parallel = new string[queries.Count];
        Parallel.For(0, queries.Count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => parallel[i] = Describe(queries[i](engine)));

        TestContext.Out.WriteLine($"{queries.Count} queries: sequential {sequentialTime.TotalSeconds:F1} s, 8 threads {(clock.Elapsed - sequentialTime).TotalSeconds:F1} s");
        var differing = Enumerable.Range(0, queries.Count).Where(i => parallel[i] != sequential[i]).ToList();
        Assert.That(differing, Is.Empty, () => $"{differing.Count} of {queries.Count} answers differ; first: {sequential[differing[0]]} vs {parallel[differing[0]]}");
        Assert.That(sequential.Count(s => s.Length > 0), Is.GreaterThan(queries.Count * 9 / 10), "most queries must find something");
    }

    /// <summary>jieba's dictionary is process-wide static state, and its AddWord/LoadUserDict are not safe while other
    /// threads segment. Matching loads its user dictionary once, at start-up, and must never hand callers a way to
    /// change the dictionary while queries run: no public member may be named like jieba's mutators or expose a jieba type.</summary>
    [Test]
    public void PublicApi_ExposesNoWayToChangeTheSegmenterDictionary()
    {
        string[] mutators = ["AddWord", "DeleteWord", "DelWord", "LoadUserDict", "LoadUserDictionary", "SuggestFreq", "SuggestFrequency"];
        var offenders = new List<string>();
        foreach (var type in typeof(MatchingEngine).Assembly.GetExportedTypes())
        {
            if (IsJieba(type.BaseType) || type.GetInterfaces().Any(IsJieba))
            {
                offenders.Add($"{type.FullName} derives from jieba");
            }

            foreach (var member in type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            {
                if (mutators.Any(m => member.Name.Contains(m, StringComparison.OrdinalIgnoreCase)))
                {
                    offenders.Add($"{type.FullName}.{member.Name}");
                }

                if (SignatureTypes(member).Any(IsJieba))
                {
                    offenders.Add($"{type.FullName}.{member.Name} exposes a jieba type");
                }
            }
        }

        Assert.That(offenders, Is.Empty);
    }

    private static IEnumerable<Type> SignatureTypes(MemberInfo member) => member switch
    {
        MethodBase method => method.GetParameters().Select(p => p.ParameterType)
            .Concat(method is MethodInfo m ? [m.ReturnType] : []),
        PropertyInfo property => [property.PropertyType],
        FieldInfo field => [field.FieldType],
        EventInfo @event => @event.EventHandlerType is { } handler ? [handler] : [],
        _ => [],
    };

    private static bool IsJieba(Type? type)
    {
        if (type is null)
        {
            return false;
        }

        if (type.HasElementType)
        {
            return IsJieba(type.GetElementType());
        }

        return type.Assembly.GetName().Name!.StartsWith("JiebaNet", StringComparison.Ordinal)
            || (type.IsGenericType && type.GetGenericArguments().Any(IsJieba));
    }

    private static string Describe(IReadOnlyList<Candidate> candidates) =>
        string.Join(" | ", candidates.Select(c => $"{c.Id}#{c.Rank}:{c.Score:R}[{string.Join(",", c.MatchedTerms)}]"));

    /// <summary>The sample's 60 demands and 120 achievements as queries, and variants of each recombined from the
    /// sample's own titles, sentences and keywords (seeded): about 3,000 queries in both directions.</summary>
    private static List<Func<MatchingEngine, IReadOnlyList<Candidate>>> Queries()
    {
        var demands = SampleEvent.Demands;
        var achievements = SampleEvent.Achievements;
        var sentences = demands.Select(d => d.Description).Concat(achievements.Select(a => a.Abstract))
            .SelectMany(text => text.Split('。', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(s => s.Length > 4)
            .ToArray();
        var keywords = demands.SelectMany(d => d.Keywords).Concat(achievements.SelectMany(a => a.Keywords)).Distinct().ToArray();
        var random = new Random(20261129);
        string Sentences() => string.Join("。", Enumerable.Range(0, random.Next(1, 4)).Select(_ => sentences[random.Next(sentences.Length)])) + "。";
        string[] Keywords() => [.. Enumerable.Range(0, random.Next(0, 4)).Select(_ => keywords[random.Next(keywords.Length)]).Distinct()];

        var queries = new List<Func<MatchingEngine, IReadOnlyList<Candidate>>>();
        foreach (var demand in demands)
        {
            queries.Add(e => e.MatchDemand(demand));
            for (var v = 0; v < VariantsPerDemand; v++)
            {
                var variant = demand with
                {
                    Id = $"{demand.Id}-v{v}",
                    Title = v % 3 == 0 ? "" : demand.Title,
                    Description = v % 3 == 1 ? demand.Description : Sentences(),
                    Keywords = v % 2 == 0 ? demand.Keywords : Keywords(),
                };
                queries.Add(e => e.MatchDemand(variant, topK: 1 + (v % 20)));
            }
        }

        foreach (var achievement in achievements)
        {
            queries.Add(e => e.MatchAchievement(achievement));
            for (var v = 0; v < VariantsPerAchievement; v++)
            {
                var variant = achievement with
                {
                    Id = $"{achievement.Id}-v{v}",
                    Title = v % 3 == 0 ? "" : achievement.Title,
                    Abstract = v % 3 == 1 ? achievement.Abstract : Sentences(),
                    Keywords = v % 2 == 0 ? achievement.Keywords : Keywords(),
                };
                queries.Add(e => e.MatchAchievement(variant, topK: 1 + (v % 20)));
            }
        }

        return queries;
    }
}
