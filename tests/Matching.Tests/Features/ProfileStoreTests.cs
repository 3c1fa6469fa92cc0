using Matching.Engine;
using Matching.Features;
using Matching.Indexing;
using Matching.Text;

namespace Matching.Tests.Features;

/// <summary>The profile store written with an on-disk index: features read from it equal those built from the records.</summary>
public sealed class ProfileStoreTests
{
    private static IReadOnlyList<Achievement> Achievements => SampleEvent.Achievements;

    private static IReadOnlyList<Demand> Demands => [.. SampleEvent.Demands, TestRecords.BatteryDemand, TestRecords.VisionDemand];

    /// <summary>Every (demand, achievement) row both ways, from a space: the whole feature matrix, in a fixed order.</summary>
    private static float[] AllRows(FeatureSpace space, IReadOnlyList<string> demandIds, IReadOnlyList<string> achievementIds)
    {
        var rows = new List<float>();
        foreach (var d in demandIds)
        {
            rows.AddRange(space.ForDemand(d, achievementIds));
        }

        foreach (var a in achievementIds.Take(40))
        {
            rows.AddRange(space.ForAchievement(space.Achievement(a), demandIds));
        }

        return [.. rows];
    }

    /// <summary>The reference: every record profiled in memory, in id order (as a batch does on an index without a store).</summary>
    private static FeatureSpace InMemory(MatchingEngine engine) => FeatureSpace.Build(engine.Achievements(), engine.Demands());

    private static void AssertSameFeatures(MatchingEngine engine)
    {
        var stored = engine.Features;
        Assert.That(stored.IsStored, Is.True, "the engine reads its profiles from the store");
        using var memory = InMemory(engine);
        var demandIds = engine.Demands().Select(d => d.Id).ToList();
        var achievementIds = engine.Achievements().Select(a => a.Id).ToList();
        var expected = AllRows(memory, demandIds, achievementIds);
        var actual = AllRows(stored, demandIds, achievementIds);
        Assert.That(actual.Length, Is.EqualTo(expected.Length));
        // Bit for bit, not within a tolerance.
        Assert.That(actual.Select(BitConverter.SingleToInt32Bits), Is.EqualTo(expected.Select(BitConverter.SingleToInt32Bits)));
        // Twice: the second read comes from the cache.
        Assert.That(AllRows(stored, demandIds, achievementIds).Select(BitConverter.SingleToInt32Bits), Is.EqualTo(expected.Select(BitConverter.SingleToInt32Bits)));
    }

    [Test]
    public void InMemoryEngine_ProfilesWhileIndexing_GivesBitIdenticalFeatures()
    {
        // A ranker makes the engine profile each record as it indexes it, for its first feature space.
        var options = new EngineOptions { Ranker = Matching.Ranking.RankerModel.LoadDefault() };
        using var engine = MatchingEngine.Create(Achievements, Demands, options);
        var space = engine.Features;
        Assert.That(space.ProfiledWhileIndexing, Is.True);
        Assert.That(space.IsStored, Is.False);
        using var memory = InMemory(engine);
        Assert.That(memory.ProfiledWhileIndexing, Is.False);
        var demandIds = engine.Demands().Select(d => d.Id).ToList();
        var achievementIds = engine.Achievements().Select(a => a.Id).ToList();
        var expected = AllRows(memory, demandIds, achievementIds);
        Assert.That(AllRows(space, demandIds, achievementIds).Select(BitConverter.SingleToInt32Bits), Is.EqualTo(expected.Select(BitConverter.SingleToInt32Bits)));

        // After a write the next space is profiled from the records again, and is exact too.
        engine.AddOrUpdateDemands([TestRecords.BatteryDemand with { Id = "NEW-电池", Title = "高镍三元正极材料量产" }]);
        var updated = engine.Features;
        Assert.That(updated.ProfiledWhileIndexing, Is.False);
        using var rebuilt = InMemory(engine);
        demandIds = engine.Demands().Select(d => d.Id).ToList();
        Assert.That(AllRows(updated, demandIds, achievementIds).Select(BitConverter.SingleToInt32Bits),
            Is.EqualTo(AllRows(rebuilt, demandIds, achievementIds).Select(BitConverter.SingleToInt32Bits)));
    }

    [Test]
    public void InMemoryEngine_WithoutRankerOrCalibration_ProfilesNothingAhead()
    {
        using var engine = MatchingEngine.Create(Achievements, Demands, new EngineOptions());
        Assert.That(engine.Features.ProfiledWhileIndexing, Is.False);
    }

    [Test]
    public void StoredProfiles_GiveBitIdenticalFeatures()
    {
        using var folder = new TempDirectory();
        var options = new EngineOptions { IndexPath = folder.Path };
        MatchingEngine.UpdateIndex(Achievements, Demands, options);

        Assert.That(Directory.GetFiles(Path.Combine(folder.Path, ProfileStore.Folder), "*.prof"), Has.Length.EqualTo(2));
        using var engine = MatchingEngine.Open(options);
        AssertSameFeatures(engine);
    }

    [Test]
    public void IncrementalUpdates_KeepTheStoreExact()
    {
        using var folder = new TempDirectory();
        var options = new EngineOptions { IndexPath = folder.Path };
        var achievements = Achievements.ToList();
        MatchingEngine.UpdateIndex(achievements.Skip(10), Demands.Skip(3), options);

        // Add ten, replace one, prune one: the store follows (unchanged profiles copied, not rebuilt).
        achievements[20] = achievements[20] with { Abstract = achievements[20].Abstract + "新增中试验证：连续运行500小时，良品率提升至98.5%。" };
        var pruned = achievements.Where((_, i) => i != 30).ToList();
        var report = MatchingEngine.UpdateIndex(pruned, Demands, options, prune: true);
        Assert.That(report.Achievements, Is.EqualTo(new IndexCounts(10, 1, achievements.Count - 12, 1, achievements.Count - 1)));
        Assert.That(Directory.GetFiles(Path.Combine(folder.Path, ProfileStore.Folder), "achievements.*"), Has.Length.EqualTo(1), "the previous store is gone");

        using var engine = MatchingEngine.Open(options);
        AssertSameFeatures(engine);

        // Through the engine's own writes too.
        engine.AddOrUpdateDemands([TestRecords.RiceDemand with { Id = "D-new", Title = "印染废水深度处理与回用" }]);
        engine.RemoveAchievements([achievements[0].Id]);
        AssertSameFeatures(engine);
    }

    [Test]
    public void IndexWrittenWithTheStore_AnswersAsOneWithout()
    {
        // The store's segmentation serves the index too (one per record): the index must not differ for it.
        using var folder = new TempDirectory();
        var options = new EngineOptions { IndexPath = folder.Path };
        MatchingEngine.UpdateIndex(Achievements, Demands, options);
        using var disk = MatchingEngine.Open(options);
        using var memory = MatchingEngine.Create(Achievements, Demands);

        static string Describe(IReadOnlyList<Matching.Retrieval.Candidate> list) =>
            string.Join("\n", list.Select(c => $"{c.Id} {c.Score:R} {string.Join("|", c.MatchedTerms)}"));
        foreach (var demand in Demands)
        {
            Assert.That(Describe(disk.MatchDemand(demand, 20)), Is.EqualTo(Describe(memory.MatchDemand(demand, 20))), demand.Id);
        }

        foreach (var achievement in Achievements.Take(20))
        {
            Assert.That(Describe(disk.MatchAchievement(achievement, 10)), Is.EqualTo(Describe(memory.MatchAchievement(achievement, 10))), achievement.Id);
        }
    }

    [Test]
    public void InMemoryEngine_QueriesAnalysedWhileIndexing_AnswerAsAnIndexOnDisk()
    {
        // With a ranker, every record's query terms are analysed as it is indexed and taken by its first query; an
        // engine on disk analyses each query when asked. Same lists, scores, order and matched terms.
        var ranker = Matching.Ranking.RankerModel.LoadDefault();
        using var folder = new TempDirectory();
        var diskOptions = new EngineOptions { IndexPath = folder.Path, Ranker = ranker };
        MatchingEngine.UpdateIndex(Achievements, Demands, diskOptions);
        using var disk = MatchingEngine.Open(diskOptions);
        using var memory = MatchingEngine.Create(Achievements, Demands, new EngineOptions { Ranker = ranker });
        Assert.That(memory.PendingQueryAnalyses, Is.EqualTo(Achievements.Count + Demands.Count));
        Assert.That(disk.PendingQueryAnalyses, Is.Zero);

        static string Describe(IReadOnlyList<Matching.Retrieval.Candidate> list) =>
            string.Join("\n", list.Select(c => $"{c.Id} {c.Score:R} {string.Join("|", c.MatchedTerms)}"));
        foreach (var demand in Demands)
        {
            Assert.That(Describe(memory.MatchDemand(demand, 20)), Is.EqualTo(Describe(disk.MatchDemand(demand, 20))), demand.Id);
        }

        foreach (var achievement in Achievements)
        {
            Assert.That(Describe(memory.MatchAchievement(achievement, 10)), Is.EqualTo(Describe(disk.MatchAchievement(achievement, 10))), achievement.Id);
        }

        Assert.That(memory.PendingQueryAnalyses, Is.Zero, "every query took its analysis");
        // Asked again (analysed now): the same answer.
        Assert.That(Describe(memory.MatchAchievement(Achievements[0], 10)), Is.EqualTo(Describe(disk.MatchAchievement(Achievements[0], 10))));
    }

    [Test]
    public void ProfilingARecord_SegmentsItsTitleAndBodyForTheIndexToo()
    {
        var builder = new ProfileBuilder(new TermDictionary());
        using var analyzer = MatchingAnalyzer.ForIndexing(AnalyzerKind.Jieba);
        // Simplified and Traditional script (normalised the same way by the profile and by the index's char filter).
        foreach (var record in new[] { TestRecords.BatteryDemand, TestRecords.VisionDemand, TestRecords.RiceDemand })
        {
            var indexed = IndexedRecord.From(record);
            List<string> title, body;
            using (var memo = ChineseSegmenter.Remember())
            {
                builder.Analyze(record);
                title = analyzer.Terms(indexed.Title, IndexSchema.Title);
                body = analyzer.Terms(indexed.Body, IndexSchema.Body);
                Assert.That(memo.Hits, Is.EqualTo(2), record.Id);
            }

            Assert.That(analyzer.Terms(indexed.Title, IndexSchema.Title), Is.EqualTo(title));
            Assert.That(analyzer.Terms(indexed.Body, IndexSchema.Body), Is.EqualTo(body));
        }
    }

    [Test]
    public void UnchangedUpdate_KeepsTheSameStoreFile()
    {
        using var folder = new TempDirectory();
        var options = new EngineOptions { IndexPath = folder.Path };
        MatchingEngine.UpdateIndex(Achievements, Demands, options);
        var before = Directory.GetFiles(Path.Combine(folder.Path, ProfileStore.Folder)).Order().ToList();
        var bytes = before.Select(File.ReadAllBytes).ToList();

        MatchingEngine.UpdateIndex(Achievements, Demands, options);

        var after = Directory.GetFiles(Path.Combine(folder.Path, ProfileStore.Folder)).Order().ToList();
        Assert.That(after, Is.EqualTo(before));
        Assert.That(after.Select(File.ReadAllBytes), Is.EqualTo(bytes));
    }

    [Test]
    public void SameInput_SameStoreBytes_WhateverTheThreads()
    {
        using var one = new TempDirectory();
        using var two = new TempDirectory();
        MatchingEngine.UpdateIndex(Achievements, Demands, new EngineOptions { IndexPath = one.Path, IndexThreads = 1 });
        MatchingEngine.UpdateIndex(Achievements, Demands, new EngineOptions { IndexPath = two.Path, IndexThreads = 3 });

        var a = Directory.GetFiles(Path.Combine(one.Path, ProfileStore.Folder)).Order().ToList();
        var b = Directory.GetFiles(Path.Combine(two.Path, ProfileStore.Folder)).Order().ToList();
        Assert.That(a.Select(Path.GetFileName), Is.EqualTo(b.Select(Path.GetFileName)));
        Assert.That(a.Select(File.ReadAllBytes), Is.EqualTo(b.Select(File.ReadAllBytes)));
    }

    [Test]
    public void IndexWithoutStore_IsProfiledFromItsRecords()
    {
        using var folder = new TempDirectory();
        var options = new EngineOptions { IndexPath = folder.Path };
        // As an older version wrote it: no store, no commit data naming one.
        using (var achievements = IndexSchema.OpenDirectory(Path.Combine(folder.Path, "achievements")))
        using (var demands = IndexSchema.OpenDirectory(Path.Combine(folder.Path, "demands")))
        {
            IndexBuilder.Update(achievements, RecordKind.Achievements, AnalyzerKind.Jieba, Achievements.Select(options.Indexed));
            IndexBuilder.Update(demands, RecordKind.Demands, AnalyzerKind.Jieba, Demands.Select(options.Indexed));
        }

        using (var engine = MatchingEngine.Open(options))
        {
            Assert.That(engine.Features.IsStored, Is.False);
        }

        // An update that keeps the achievements leaves them without a store (their profiles would have to be segmented
        // again); one that replaces every demand gives the demands one: a space with one side of each kind, still exact.
        MatchingEngine.UpdateIndex(Achievements, [.. Demands.Select(d => d with { Id = "N" + d.Id })], options, prune: true);
        Assert.That(Directory.GetFiles(Path.Combine(folder.Path, ProfileStore.Folder), "achievements.*"), Is.Empty);
        using var updated = MatchingEngine.Open(options);
        AssertSameFeatures(updated);
    }

    [Test]
    public void DamagedOrMissingStore_IsRefused()
    {
        using var folder = new TempDirectory();
        var options = new EngineOptions { IndexPath = folder.Path };
        MatchingEngine.UpdateIndex(Achievements, Demands, options);
        var store = Directory.GetFiles(Path.Combine(folder.Path, ProfileStore.Folder), "achievements.*.prof").Single();
        var bytes = File.ReadAllBytes(store);
        bytes[^40] ^= 0x55;
        File.WriteAllBytes(store, bytes);

        using (var engine = MatchingEngine.Open(options))
        {
            var e = Assert.Throws<IndexMismatchException>(() => _ = engine.Features);
            Assert.That(e!.Message, Does.Contain("profile store is damaged").And.Contain(Path.GetFileName(store)));
        }

        File.Delete(store);
        Assert.That(() => MatchingEngine.Open(options), Throws.TypeOf<IndexMismatchException>().With.Message.Contain("missing"), "refused when opened");

        // Indexing again repairs it (the achievements keep no store: their profiles are not segmented again).
        MatchingEngine.UpdateIndex(Achievements, Demands, options);
        using var repaired = MatchingEngine.Open(options);
        Assert.That(repaired.Features.HasAchievement(Achievements[0].Id), Is.True);
    }

    [Test]
    public void ReadIntoReusedBuffers_GivesTheProfileOfAFreshRead()
    {
        using var folder = new TempDirectory();
        MatchingEngine.UpdateIndex(Achievements, Demands, new EngineOptions { IndexPath = folder.Path });
        var file = Directory.GetFiles(Path.Combine(folder.Path, ProfileStore.Folder), "achievements.*.prof").Single();
        using var store = ProfileStore.Open(Path.GetDirectoryName(file)!, RecordKind.Achievements, Path.GetFileName(file).Split('.')[1]);
        // One set of buffers for every read, longest record first and then the shortest: what a longer record left in
        // them must not leak into a shorter one.
        var buffers = new ReadBuffers();
        var order = Enumerable.Range(0, store.Count).OrderByDescending(i => store.ReadTerms(i).Length).ThenBy(i => i).ToList();
        order = [.. order.Take(order.Count / 2).Zip(order.AsEnumerable().Reverse()).SelectMany(p => new[] { p.First, p.Second }).Distinct()];
        Assert.That(order, Has.Count.EqualTo(store.Count));
        foreach (var ordinal in order)
        {
            var expected = ProfileBuilder.Resolve(store.Read(ordinal, out var storeIds), storeIds);
            var parts = store.Read(ordinal, buffers, out var n);
            var actual = ProfileBuilder.Resolve(parts, buffers.Ids.AsSpan(0, n), buffers.TermCounts.AsSpan(0, n), buffers.WordCounts.AsSpan(0, n),
                buffers.Flags.AsSpan(0, n), buffers.PairFirst.AsSpan(0, buffers.Pairs), buffers.PairSecond.AsSpan(0, buffers.Pairs));
            Assert.That(actual.Terms, Is.EqualTo(expected.Terms), store.Ids[ordinal]);
            Assert.That(actual.TermCounts, Is.EqualTo(expected.TermCounts));
            Assert.That(actual.Words, Is.EqualTo(expected.Words));
            Assert.That(actual.WordCounts, Is.EqualTo(expected.WordCounts));
            Assert.That(actual.TitleWords, Is.EqualTo(expected.TitleWords));
            Assert.That(actual.KeywordWords, Is.EqualTo(expected.KeywordWords));
            Assert.That(actual.Numbers, Is.EqualTo(expected.Numbers));
            Assert.That(actual.Latin, Is.EqualTo(expected.Latin));
            Assert.That(actual.WordPairs, Is.EqualTo(expected.WordPairs));
            Assert.That(actual.Text, Is.EqualTo(expected.Text));
            Assert.That(parts.TermCounts, Is.Empty, "the per-term data is in the buffers only");
        }
    }

    [Test]
    public void Codec_RoundTripsAProfile()
    {
        var builder = new ProfileBuilder(new TermDictionary());
        var parts = ProfileBuilder.Parts(builder.Analyze(TestRecords.BatteryDemand));
        var ids = Enumerable.Range(0, parts.TermStrings!.Length).Select(i => (i * 7919) % 100_003).ToArray();
        var list = new ByteWriter();
        var body = new ByteWriter();
        ProfileCodec.WriteList(list, parts.Length, ids);
        ProfileCodec.WriteBody(body, parts);

        var read = Array.Empty<int>();
        var length = ProfileCodec.ReadList(list.Written, ref read, out var count);
        var decoded = ProfileCodec.ReadBody(body.Written, count, length);

        var expected = ProfileBuilder.Resolve(parts, ids);
        var actual = ProfileBuilder.Resolve(decoded, read[..count]);
        Assert.That(actual.Terms, Is.EqualTo(expected.Terms));
        Assert.That(actual.TermCounts, Is.EqualTo(expected.TermCounts));
        Assert.That(actual.Words, Is.EqualTo(expected.Words));
        Assert.That(actual.WordCounts, Is.EqualTo(expected.WordCounts));
        Assert.That(actual.WordPairs, Is.EqualTo(expected.WordPairs));
        Assert.That(actual.Bigrams, Is.EqualTo(expected.Bigrams));
        Assert.That(actual.Specs, Is.EqualTo(expected.Specs));
        Assert.That(actual.Text, Is.EqualTo(expected.Text));
        Assert.That(actual.Keywords, Is.EqualTo(expected.Keywords));
        Assert.That(actual.ShortText, Is.EqualTo(expected.ShortText));
        Assert.That(expected.Specs, Is.Not.Empty, "the demand states a spec (≥90%)");

        // A cut record is refused, not misread.
        Assert.That(() => ProfileCodec.ReadBody(body.Written[..^3], count, length), Throws.TypeOf<FormatException>());
    }

    [TestCase(60, 32_768, 60)]
    [TestCase(100_000, 32_768, 32_768)]
    [TestCase(262_144, 32_768, 32_768)]
    [TestCase(262_145, 32_768, 1_024)]
    [TestCase(1_000_000, 32_768, 1_024)]
    [TestCase(1_000_000, 100, 100)]
    [TestCase(0, 32_768, 1)]
    public void CacheSlots_SmallCacheAboveALargeStore(int records, int requested, int slots) =>
        Assert.That(FeatureSpace.CacheSlots(records, requested), Is.EqualTo(slots));
}
