using System.Numerics.Tensors;
using Lucene.Net.Store;
using Matching.Engine;
using Matching.Features;
using Matching.Indexing;
using Matching.Retrieval;
using Matching.Text;

namespace Matching.Tests.Engine;

/// <summary>The candidate route by meaning: event-trained word vectors, the vector index, reciprocal-rank fusion.</summary>
public sealed class SemanticRouteTests
{
    // Small corpora need many passes and no subsampling for co-occurrence to shape the vectors.
    private static readonly WordVectorTrainingOptions Small = new() { Dimension = 32, Epochs = 200, MinCount = 1, SubsampleThreshold = 1, Buckets = 4096, Seed = 7 };

    private static readonly Achievement Oxygen = new()
    {
        Id = "A1",
        Title = "溶解氧在线监测系统",
        Abstract = "采用荧光法传感器实时测量水体溶解氧浓度，低于阈值时自动启动增氧机。",
        Organization = "海洋大学",
    };

    private static readonly Achievement[] Others =
    [
        new() { Id = "A2", Title = "仓储AGV调度算法", Abstract = "多台AGV小车路径规划与任务分配，提升仓库拣货效率。", Organization = "理工大学" },
        new() { Id = "A3", Title = "注塑模流分析", Abstract = "通过模流仿真预测注塑件翘曲变形并优化浇口位置。", Organization = "化工大学" },
        new() { Id = "A4", Title = "果蔬气调保鲜技术", Abstract = "调节冷库氧气与二氧化碳浓度，延长果蔬贮藏期。", Organization = "农业大学" },
        new() { Id = "A5", Title = "锂电池热管理", Abstract = "电池包液冷板设计，降低电芯温差。", Organization = "交通大学" },
    ];

    /// <summary>The query: enterprise words only, none of which the answer (A1) contains.</summary>
    private static readonly Demand DeadFish = new() { Id = "D1", Title = "鱼塘死鱼", Organization = "水产公司" };

    /// <summary>Other enterprises' demands, where the enterprise words co-occur with the academic ones: the only link
    /// between 鱼塘/死鱼 and 溶解氧/增氧机 the vectors can learn.</summary>
    private static readonly Demand[] Linking =
    [
        new() { Id = "D2", Title = "鱼塘夜间死鱼", Description = "鱼塘溶解氧偏低，死鱼严重，需要增氧机自动控制。" },
        new() { Id = "D3", Title = "鱼塘闷热天气死鱼", Description = "怀疑鱼塘溶解氧不足导致死鱼，希望监测溶解氧。" },
        new() { Id = "D4", Title = "鱼塘死鱼频发", Description = "鱼塘需要溶解氧在线监测和增氧机联动，减少死鱼。" },
        new() { Id = "D5", Title = "仓库拣货慢", Description = "仓库拣货效率低，想引入AGV调度。" },
        new() { Id = "D6", Title = "注塑件翘曲", Description = "注塑件翘曲严重，需要模流分析优化浇口。" },
        new() { Id = "D7", Title = "果蔬冷链保鲜期短", Description = "果蔬冷链保鲜期短，考虑气调保鲜。" },
        new() { Id = "D8", Title = "电池温差大", Description = "电池包电芯温差大，需要液冷板热管理。" },
    ];

    private static EngineOptions Semantic(string? indexPath = null, ITextEncoder? encoder = null, int depth = 2) => new()
    {
        IndexPath = indexPath,
        Semantic = true,
        SemanticDepth = depth,
        WordVectors = Small,
        Encoder = encoder,
    };

    private static string[] Texts() =>
        [.. Others.Prepend(Oxygen).Select(SemanticRoute.TextOf), .. Linking.Prepend(DeadFish).Select(SemanticRoute.TextOf)];

    [Test]
    public void Train_SameSeed_IdenticalVectors_OtherSeed_Different()
    {
        var first = WordVectors.Train(Texts(), Small);
        var second = WordVectors.Train(Texts(), Small);
        var other = WordVectors.Train(Texts(), new WordVectorTrainingOptions { Dimension = 32, Epochs = 200, MinCount = 1, SubsampleThreshold = 1, Buckets = 4096, Seed = 8 });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Contains("溶解氧"), Is.True);
            Assert.That(second.Vector("溶解氧"), Is.EqualTo(first.Vector("溶解氧")).AsCollection);
            Assert.That(second.Vector("死鱼"), Is.EqualTo(first.Vector("死鱼")).AsCollection);
            Assert.That(other.Vector("溶解氧"), Is.Not.EqualTo(first.Vector("溶解氧")).AsCollection);
        }
    }

    [Test]
    public void Vector_UnseenWord_ComesFromItsCharacters()
    {
        var vectors = WordVectors.Train(Texts(), Small);
        var unseen = vectors.Vector("增氧泵");
        var related = vectors.Vector("增氧机")!;
        var unrelated = vectors.Vector("浇口")!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(vectors.Contains("增氧泵"), Is.False);
            Assert.That(unseen, Is.Not.Null);
            Assert.That(TensorPrimitives.CosineSimilarity(unseen, related), Is.GreaterThan(TensorPrimitives.CosineSimilarity(unseen, unrelated)));
        }
    }

    [Test]
    public void Encode_BothScripts_SameUnitVector()
    {
        var encoder = WordVectorEncoder.Train(Texts(), Small);
        var vectors = encoder.Encode(["鱼塘死鱼，溶解氧偏低", "魚塘死魚，溶解氧偏低", "的"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(vectors[1], Is.EqualTo(vectors[0]).AsCollection);
            Assert.That(TensorPrimitives.Norm(vectors[0]), Is.EqualTo(1f).Within(1e-5));
            Assert.That(vectors[2], Is.All.EqualTo(0f), "a text of stop words only is the zero vector");
        }
    }

    [Test]
    public void MatchDemand_NoSharedWord_AnswerComesThroughTheVectorRoute_BothScriptsAndDirections()
    {
        Demand[] demands = [DeadFish, .. Linking];
        Achievement[] achievements = [Oxygen, .. Others];
        using var lexical = MatchingEngine.Create(achievements, demands);
        using var semantic = MatchingEngine.Create(achievements, demands, Semantic());
        var traditional = DeadFish with { Id = "D9", Title = "魚塘死魚" };

        using (Assert.EnterMultipleScope())
        {
            Assert.That(lexical.MatchDemand(DeadFish, 5).Select(c => c.Id), Does.Not.Contain("A1"), "BM25 cannot find it: no shared word");
            Assert.That(semantic.MatchDemand(DeadFish, 5).Select(c => c.Id).First(), Is.EqualTo("A1"));
            Assert.That(semantic.MatchDemand(traditional, 5).Select(c => c.Id).First(), Is.EqualTo("A1"));
        }

        // The other direction: the four fish-pond demands are the achievement's nearest by meaning, D1 among them.
        using var wider = MatchingEngine.Create(achievements, demands, Semantic(depth: 4));
        Assert.That(wider.MatchAchievement(Oxygen, 10).Select(c => c.Id), Does.Contain("D1"));
    }

    [Test]
    public void SemanticCosineFeature_TheVectorsCosineWithTheRoute_UnknownWithout_SameForTraining()
    {
        Demand[] demands = [DeadFish, .. Linking];
        Achievement[] achievements = [Oxygen, .. Others];
        var encoder = WordVectorEncoder.Train(Texts(), Small);
        using var semantic = MatchingEngine.Create(achievements, demands, Semantic(encoder: encoder));
        using var lexical = MatchingEngine.Create(achievements, demands);
        List<string> ids = [.. achievements.Select(a => a.Id)];
        var n = PairFeatures.Count;
        var column = PairFeatures.SemanticCosineIndex;

        var on = semantic.FeaturesForDemand(DeadFish, ids);
        var off = lexical.FeaturesForDemand(DeadFish, ids);
        var query = encoder.Encode([SemanticRoute.TextOf(DeadFish)])[0];
        var training = (float[])off.Clone();
        RecordVectors.Encode(encoder, [.. achievements.Select(a => (a.Id, SemanticRoute.TextOf(a)))], [.. demands.Select(d => (d.Id, SemanticRoute.TextOf(d)))])
            .Fill(DeadFish.Id, training, ids);

        using (Assert.EnterMultipleScope())
        {
            for (var i = 0; i < ids.Count; i++)
            {
                var expected = TensorPrimitives.Dot(query, encoder.Encode([SemanticRoute.TextOf(achievements[i])])[0]);
                Assert.That(on[(i * n) + column], Is.EqualTo(expected).Within(1e-6), ids[i]);
                Assert.That(off[(i * n) + column], Is.EqualTo(-2f), "without the route the cosine is unknown");
                Assert.That(training[(i * n) + column], Is.EqualTo(on[(i * n) + column]), "training fills the same column the same way");
                // Every other column is the route's business only through the candidate list, not the features.
                Assert.That(on.AsSpan(i * n, column).ToArray(), Is.EqualTo(off.AsSpan(i * n, column).ToArray()));
            }

            // 鱼塘死鱼 shares no word with 溶解氧在线监测系统, yet it is the nearest by meaning.
            Assert.That(Enumerable.Range(0, ids.Count).MaxBy(i => on[(i * n) + column]), Is.EqualTo(0));
        }
    }

    [Test]
    public void SemanticCosineFeature_UnknownForAQueryWithNoKnownWord()
    {
        var rows = new float[2 * PairFeatures.Count];
        SemanticSimilarity.Fill(rows, new float[4], ["A1", "A2"], (_, _) => 1f);
        SemanticSimilarity.Fill(rows.AsSpan(PairFeatures.Count), [1f, 0f, 0f, 0f], ["A2"], (_, _) => null);
        Assert.That(new[] { rows[PairFeatures.SemanticCosineIndex], rows[PairFeatures.Count + PairFeatures.SemanticCosineIndex] }, Is.All.EqualTo(-2f));
        Assert.That(VectorIndex.Cosine([0.6f, 0.8f], [0.8f, 0.6f]), Is.EqualTo(0.96f).Within(1e-6));
        Assert.That(VectorIndex.Cosine([0.6f, 0.8f], [0f, 0f]), Is.Null);
    }

    [Test]
    public void AllHashes_AreTheStoredSourcesHashesInIdOrder_WithoutReadingTheSources()
    {
        // The route keeps a record's vector while this hash is unchanged, so it must be the hash of the stored source.
        Achievement[] achievements = [.. Others, Oxygen, Oxygen with { Id = "A0", Title = "溶解氧監測" }];
        using var directory = new RAMDirectory();
        IndexBuilder.Update(directory, RecordKind.Achievements, AnalyzerKind.Jieba, achievements.Select(IndexedRecord.From));
        using var searcher = new RecordSearcher(directory, RecordKind.Achievements, AnalyzerKind.Jieba);

        var expected = searcher.AllSources().Select(json => (IndexedRecord.ToAchievement(json).Id, IndexedRecord.HashOf(json))).ToList();
        Assert.That(searcher.AllHashes(), Is.EqualTo(expected));
        Assert.That(expected.Select(e => e.Id), Is.EqualTo(new[] { "A0", "A1", "A2", "A3", "A4", "A5" }));
    }

    [Test]
    public void SemanticOff_CandidatesIdenticalToBm25Search()
    {
        Demand[] demands = [DeadFish, .. Linking];
        Achievement[] achievements = [Oxygen, .. Others];
        using var engine = MatchingEngine.Create(achievements, demands, new EngineOptions { Semantic = false });
        using var achievementDirectory = new RAMDirectory();
        using var demandDirectory = new RAMDirectory();
        IndexBuilder.Update(achievementDirectory, RecordKind.Achievements, AnalyzerKind.Jieba, achievements.Select(IndexedRecord.From));
        IndexBuilder.Update(demandDirectory, RecordKind.Demands, AnalyzerKind.Jieba, demands.Select(IndexedRecord.From));
        using var achievementSearcher = new RecordSearcher(achievementDirectory, RecordKind.Achievements, AnalyzerKind.Jieba);
        using var demandSearcher = new RecordSearcher(demandDirectory, RecordKind.Demands, AnalyzerKind.Jieba);
        achievementSearcher.Counterpart = demandSearcher;
        demandSearcher.Counterpart = achievementSearcher;

        foreach (var demand in demands)
        {
            var expected = achievementSearcher.Search(QueryText.From(demand), 5);
            var actual = engine.MatchDemand(demand, 5);
            Assert.That(actual.Select(c => (c.Id, c.Rank, c.Score)), Is.EqualTo(expected.Select(c => (c.Id, c.Rank, c.Score))), demand.Id);
        }

        Assert.That(engine.IsSemantic, Is.False);
    }

    [Test]
    public void Fuse_ReciprocalRanks_TiesByOrdinalId()
    {
        IReadOnlyList<Candidate> lexical = [new("a", 1, 9.0, ["溶解氧"]), new("b", 2, 8.0, []), new("c", 3, 7.0, [])];
        var fused = RankFusion.Fuse(lexical, ["c", "d", "a"], k: 60);

        using (Assert.EnterMultipleScope())
        {
            // a: 1/61 + 1/63 = c: 1/63 + 1/61 (tie: a first); b: 1/62 = d: 1/62 (tie: b first).
            Assert.That(fused.Select(c => c.Id), Is.EqualTo(new[] { "a", "c", "b", "d" }));
            Assert.That(fused.Select(c => c.Rank), Is.EqualTo(new[] { 1, 2, 3, 4 }));
            Assert.That(fused[0].Score, Is.EqualTo((1.0 / 61) + (1.0 / 63)));
            Assert.That(fused[2].Score, Is.EqualTo(1.0 / 62));
            Assert.That(fused[0].MatchedTerms, Is.EqualTo(new[] { "溶解氧" }));
            Assert.That(fused[3].MatchedTerms, Is.Empty);
        }

        var k1 = RankFusion.Fuse(lexical, ["d", "c"], k: 1);
        // a 1/2, b 1/3, c 1/4 + 1/3, d 1/2: c .5833 first, then a and d tied at .5 (a first), then b.
        Assert.That(k1.Select(c => c.Id), Is.EqualTo(new[] { "c", "a", "d", "b" }));
    }

    [Test]
    public void OnDiskIndex_VectorsPersistedReloadedUpdatedAndRefused()
    {
        using var temp = new TempDirectory();
        Demand[] demands = [DeadFish, .. Linking];
        IReadOnlyList<Candidate> built;
        using (var engine = MatchingEngine.Create([Oxygen, .. Others], demands, Semantic(temp.Path)))
        {
            built = engine.MatchDemand(DeadFish, 3);
            Assert.That(built[0].Id, Is.EqualTo("A1"));
        }

        var folder = Path.Combine(temp.Path, SemanticRoute.Folder);
        var vectorsFile = Path.Combine(folder, "achievements.vectors");
        Assert.That(File.Exists(Path.Combine(folder, SemanticRoute.EncoderFile)) && File.Exists(vectorsFile), Is.True);
        var encoder = WordVectorEncoder.Load(Path.Combine(folder, SemanticRoute.EncoderFile));

        // Reopened: the same encoder and vectors, the same list.
        using (var reopened = MatchingEngine.Open(Semantic(temp.Path)))
        {
            Assert.That(reopened.MatchDemand(DeadFish, 3).Select(c => (c.Id, c.Score)), Is.EqualTo(built.Select(c => (c.Id, c.Score))));

            // Incremental: a new achievement gets a vector (from the stored encoder) and is found by meaning.
            var pump = new Achievement { Id = "A6", Title = "溶解氧在线监测仪", Abstract = "荧光法传感器测量水体溶解氧浓度，联动增氧机。" };
            reopened.AddOrUpdateAchievements([pump]);
            Assert.That(reopened.MatchDemand(DeadFish, 3).Select(c => c.Id), Does.Contain("A6"));
        }

        var index = VectorIndex.Load(vectorsFile, encoder.Fingerprint);
        Assert.That(index.Count, Is.EqualTo(6), "the update was written beside the index");

        // Another encoder: refused.
        var otherEncoder = WordVectorEncoder.Train(Texts(), new WordVectorTrainingOptions { Dimension = 32, Epochs = 5, MinCount = 1, Buckets = 4096, Seed = 99 });
        var refused = Assert.Throws<IndexMismatchException>(() => MatchingEngine.Open(Semantic(temp.Path, otherEncoder)).Dispose());
        Assert.That(refused!.Message, Does.Contain(otherEncoder.Fingerprint).And.Contain(encoder.Fingerprint));

        // A damaged vector file: refused.
        var bytes = File.ReadAllBytes(vectorsFile);
        bytes[bytes.Length / 2] ^= 0x5A;
        File.WriteAllBytes(vectorsFile, bytes);
        var damaged = Assert.Throws<IndexMismatchException>(() => MatchingEngine.Open(Semantic(temp.Path)).Dispose());
        Assert.That(damaged!.Message, Does.Contain("achievements.vectors").And.Contain("checksum"));
    }

    [Test]
    public void VectorIndex_ExactAndHnsw_SameOrder_TiesById()
    {
        var random = new Random(3);
        var entries = Enumerable.Range(0, 300).Select(i =>
        {
            var v = new float[16];
            for (var j = 0; j < v.Length; j++)
            {
                v[j] = (float)((random.NextDouble() * 2) - 1);
            }

            TensorPrimitives.Multiply(v, 1f / TensorPrimitives.Norm(v), v);
            return new VectorEntry($"r{i:D3}", "h", v);
        }).ToList();
        // Two records with the same vector: ordered by id.
        entries.Add(entries[5] with { Id = "r000-twin" });
        using var exact = VectorIndex.Build("enc", 16, entries, hnswThreshold: 10_000);
        using var hnsw = VectorIndex.Build("enc", 16, entries, hnswThreshold: 100);
        var query = entries[5].Vector;

        var fromExact = exact.Search(query, 10, excludeId: "r001");
        var fromHnsw = hnsw.Search(query, 10, excludeId: "r001");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(hnsw.UsesHnsw, Is.True);
            Assert.That(exact.UsesHnsw, Is.False);
            Assert.That(fromExact.Take(2).Select(r => r.Id), Is.EqualTo(new[] { "r000-twin", "r005" }));
            Assert.That(fromHnsw.Select(r => r.Id), Is.EqualTo(fromExact.Select(r => r.Id)));
            Assert.That(fromExact.Select(r => r.Score), Is.Ordered.Descending);
        }
    }

    [Test]
    public void VectorIndex_HnswGraphSavedAndReloaded_UsedOnlyWhenItMatchesTheVectors()
    {
        var random = new Random(4);
        List<VectorEntry> Entries(int count) => [.. Enumerable.Range(0, count).Select(i =>
        {
            var v = new float[16];
            for (var j = 0; j < v.Length; j++)
            {
                v[j] = (float)((random.NextDouble() * 2) - 1);
            }

            TensorPrimitives.Multiply(v, 1f / TensorPrimitives.Norm(v), v);
            return new VectorEntry($"r{i:D3}", "h", v);
        })];
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "achievements.vectors");
        var entries = Entries(400);
        using var built = VectorIndex.Build("enc", 16, entries, hnswThreshold: 100);
        built.Save(path);
        var queries = entries.Take(20).Select(e => e.Vector).ToList();
        var expected = queries.Select(q => built.Search(q, 10)).ToList();

        using var loaded = VectorIndex.Load(path, "enc", hnswThreshold: 100);
        var fromLoaded = queries.Select(q => loaded.Search(q, 10)).ToList();

        // A graph saved with other vectors (same count) is not used: the graph is built again from these vectors.
        var otherPath = Path.Combine(temp.Path, "other.vectors");
        using (var other = VectorIndex.Build("enc", 16, Entries(400), hnswThreshold: 100))
        {
            other.Save(otherPath);
        }

        File.Copy(VectorIndex.GraphPath(otherPath), VectorIndex.GraphPath(path), overwrite: true);
        using var mismatched = VectorIndex.Load(path, "enc", hnswThreshold: 100);
        var fromMismatched = queries.Select(q => mismatched.Search(q, 10)).ToList();

        // A damaged graph is not used either.
        built.Save(path);
        var bytes = File.ReadAllBytes(VectorIndex.GraphPath(path));
        bytes[bytes.Length / 2] ^= 0x5A;
        File.WriteAllBytes(VectorIndex.GraphPath(path), bytes);
        using var damaged = VectorIndex.Load(path, "enc", hnswThreshold: 100);
        var fromDamaged = queries.Select(q => damaged.Search(q, 10)).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(File.Exists(VectorIndex.GraphPath(path)), Is.True);
            Assert.That((loaded.GraphLoaded, mismatched.GraphLoaded, damaged.GraphLoaded), Is.EqualTo((true, false, false)));
            Assert.That(fromLoaded, Is.EqualTo(expected));
            Assert.That(fromMismatched, Is.EqualTo(expected));
            Assert.That(fromDamaged, Is.EqualTo(expected));
        }

        // Below the threshold no graph is written, and a stale one is removed.
        using var small = VectorIndex.Build("enc", 16, entries.Take(50), hnswThreshold: 100);
        small.Save(path);
        Assert.That(File.Exists(VectorIndex.GraphPath(path)), Is.False);
    }

    [Test]
    public void ReadVec_ReadsWords_UnseenWordFromCharacters_BadLineNamed()
    {
        using var temp = new TempDirectory();
        var path = temp.File("zh.vec");
        File.WriteAllText(path, "3 2\n溶解氧 1 0\n鱼 0 1\n塘 0 1\n");
        var vectors = WordVectors.ReadVec(path);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(vectors.Count, Is.EqualTo(3));
            Assert.That(vectors.Vector("溶解氧"), Is.EqualTo(new[] { 1f, 0f }).AsCollection);
            Assert.That(vectors.Vector("鱼塘"), Is.EqualTo(new[] { 0f, 1f }).AsCollection, "unseen word: mean of its known characters");
            Assert.That(vectors.HasSubwords, Is.False);
        }

        File.WriteAllText(path, "2 2\n溶解氧 1 0\n鱼 0 x\n");
        var error = Assert.Throws<InputFormatException>(() => WordVectors.ReadVec(path));
        Assert.That(error!.Message, Does.Contain("zh.vec:3").And.Contain("value 2"));
    }
}
