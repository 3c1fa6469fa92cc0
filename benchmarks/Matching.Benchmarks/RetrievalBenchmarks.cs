using BenchmarkDotNet.Attributes;
using Lucene.Net.Store;
using Matching.Indexing;
using Matching.Retrieval;
using Matching.Text;

namespace Matching.Benchmarks;

/// <summary>Fielded BM25 retrieval of the top 100 achievements for one demand, over a generated corpus
/// recombining real sentences (so term statistics look like abstracts).</summary>
[MemoryDiagnoser]
public class RetrievalBenchmarks
{
    private static readonly string[] s_sentences =
    [
        "针对高镍三元正极材料循环过程中容量衰减快的问题",
        "采用原子层沉积技术在颗粒表面包覆纳米氧化铝层",
        "基于卷积神经网络对金属零件表面缺陷进行实时识别",
        "检测准确率达到99.2%，单件检测时间小于50毫秒",
        "利用分子标记辅助选择聚合广谱抗稻瘟病基因",
        "开发负载型钌催化剂处理高盐高COD有机废水",
        "通过数字孪生模型预测数控机床热误差并实时补偿",
        "以碳纤维复合材料替代铝合金实现车身轻量化",
        "构建基于5G边缘计算的工业视频分析平台",
        "采用质子交换膜电解水制氢，电流密度达到2A/cm2",
        "研制可降解PLA与PBAT共混薄膜，断裂伸长率提高40%",
        "建立水肥一体化智能灌溉系统，节水30%以上",
    ];

    private RAMDirectory _directory = null!;
    private RecordSearcher _searcher = null!;
    private QueryText _query = null!;

    /// <summary>Achievements in the generated index.</summary>
    [Params(2000)]
    public int Achievements { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var records = Enumerable.Range(0, Achievements).Select(i => IndexedRecord.From(new Achievement
        {
            Id = "A" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Title = s_sentences[random.Next(s_sentences.Length)],
            Abstract = string.Join("，", Enumerable.Range(0, 6).Select(_ => s_sentences[random.Next(s_sentences.Length)])) + "。",
        }));
        _directory = new RAMDirectory();
        IndexBuilder.Update(_directory, RecordKind.Achievements, AnalyzerKind.Jieba, records);
        _searcher = new RecordSearcher(_directory, RecordKind.Achievements, AnalyzerKind.Jieba);
        _query = new QueryText(
            "动力电池正极材料循环寿命提升",
            "我公司生产三元锂电池，高镍正极材料在循环过程中容量衰减明显，希望合作开发表面包覆改性工艺，使循环1000次后容量保持率不低于90%。",
            ["正极材料", "循环寿命"]);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _searcher.Dispose();
        _directory.Dispose();
    }

    /// <summary>Candidate retrieval: the top 100, no matched terms (what reranking and evaluate use).</summary>
    [Benchmark]
    public int Top100ForOneDemand() => _searcher.Search(_query, 100, withMatchedTerms: false).Count;

    /// <summary>What `match` prints: the top 10 with the matched terms of each (a term-vector read per hit).</summary>
    [Benchmark]
    public int Top10WithMatchedTerms() => _searcher.Search(_query, 10).Sum(c => c.MatchedTerms.Count);
}
