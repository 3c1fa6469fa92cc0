using ArchUnitNET.Domain;
using ArchUnitNET.Loader;
using ArchUnitNET.NUnit;
using Matching.Engine;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace Matching.Tests;

/// <summary>The library is a one-way pipeline: each stage (folder = namespace) uses only the stages before it and
/// the shared records and exceptions at the root; Engine alone composes them. No cycle can form.</summary>
public sealed class ArchitectureTests
{
    /// <summary>The stages in the order data flows through them; Engine, the facade, comes last.</summary>
    public static readonly string[] Stages =
    [
        "Ingestion", "Text", "Indexing", "Retrieval", "Features", "Evaluation", "Ranking",
        "Aggregation", "Scheduling", "Reporting", "Engine",
    ];

    private static readonly Architecture s_library = new ArchLoader().LoadAssemblies(typeof(MatchingEngine).Assembly).Build();

    // Every stage but the last: Engine, the composition root, may use every stage, so it has no rule.
    private static IEnumerable<TestCaseData> StagesWithLater() =>
        Stages[..^1].Select((stage, i) => new TestCaseData(stage, Stages[(i + 1)..]).SetName($"Stage_{stage}_UsesNoLaterStage"));

    [TestCaseSource(nameof(StagesWithLater))]
    public void Stage_UsesOnlyEarlierStages(string stage, string[] later)
    {
        Types().That().ResideInNamespace($"Matching.{stage}")
            .Should().NotDependOnAny(Types().That().ResideInNamespaceMatching(AnyOf(later)))
            .Check(s_library);
    }

    [Test]
    public void Root_HoldsOnlySharedRecordsAndExceptions_UsesNoStage()
    {
        Types().That().ResideInNamespace("Matching")
            .Should().NotDependOnAny(Types().That().ResideInNamespaceMatching(AnyOf(Stages)))
            .Check(s_library);
        var rootTypes = typeof(MatchingEngine).Assembly.GetTypes()
            .Where(t => t.Namespace == "Matching" && !t.IsNested && !t.Name.StartsWith('<'))
            .Select(t => t.Name)
            .Order(StringComparer.Ordinal);
        Assert.That(rootTypes, Is.EqualTo(new[] { "Achievement", "Demand", "EmptyExtra", "IndexMismatchException", "InputFormatException", "MatchingException" }));
    }

    private static string AnyOf(IEnumerable<string> stages) => $@"^Matching\.({string.Join('|', stages)})$";

    [Test]
    public void EveryNamespace_IsAStage()
    {
        var namespaces = typeof(MatchingEngine).Assembly.GetTypes()
            .Select(t => t.Namespace)
            .OfType<string>()
            .Where(n => n.StartsWith("Matching", StringComparison.Ordinal))
            .Distinct()
            .Order(StringComparer.Ordinal);
        Assert.That(namespaces, Is.EquivalentTo(Stages.Select(s => $"Matching.{s}").Append("Matching")),
            "a new folder of src/Matching must take its place in the stage order above");
    }
}
