using Matching;
using Matching.Engine;
using Matching.Ingestion;
using Matching.Ranking;

var achievements = RecordReader.ReadAchievements(SampleEvent.AchievementsCsv).Records;
var demands = RecordReader.ReadDemands(SampleEvent.DemandsCsv).Records;
using var engine = MatchingEngine.Create(achievements, demands, new EngineOptions { Ranker = RankerModel.LoadDefault() });
var best = engine.MatchDemand(demands[0], topK: 1)[0];
var why = engine.Explain(demands[0], engine.FindAchievement(best.Id)!);
Console.WriteLine($"{demands[0].Title} → {why.Achievement.Title}（{why.Achievement.Organization}）");
Console.WriteLine("命中词: " + string.Join("、", why.Explanation.MatchedTerms));
foreach (var c in why.Explanation.Contributions) Console.WriteLine($"  {c.Label} {c.Contribution:+0.00;-0.00}");
