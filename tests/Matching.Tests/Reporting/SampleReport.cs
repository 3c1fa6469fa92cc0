using Matching.Aggregation;
using Matching.Reporting;
using Matching.Scheduling;
using Matching.Ingestion;
using Matching.Ranking;
using Matching.Retrieval;

namespace Matching.Tests.Reporting;

/// <summary>A small event report as the engine would build it: 4 achievements, 3 demands (one in Traditional
/// script), 2 university–enterprise pairs and a 3-meeting agenda, with hostile text where users can type.</summary>
internal static class SampleReport
{
    public const string ScriptTitle = "<script>alert(1)</script>基于深度学习的工业产品表面缺陷视觉检测系统";
    public const string FormulaTitle = "=HYPERLINK(\"http://x\",\"y\")";
    public const string ImgEnterprise = "\"><img src=x onerror=alert(1)>滨海化工有限公司";
    public const string PathRegion = "../../etc/passwd";
    public const string ScriptIndustry = "化工<script>alert(1)</script>";
    public const string Method = "BM25 top 100, reranked by matching-ranker.zip";

    public static readonly Achievement Battery = new()
    {
        Id = "A1",
        Title = "一种高镍三元锂离子电池正极材料的表面包覆改性技术",
        Abstract = "针对高镍三元正极材料循环过程中容量衰减快、热稳定性差的问题，采用原子层沉积在颗粒表面包覆纳米氧化铝层，循环1000次容量保持率达92%。",
        Keywords = ["锂离子电池", "正极材料", "表面包覆"],
        Organization = "中南大学",
        Field = "新能源",
        Region = "湖南",
    };

    public static readonly Achievement Vision = new()
    {
        Id = "A2",
        Title = ScriptTitle,
        Abstract = "采用卷积神经网络对金属零件表面划痕、凹坑等缺陷进行实时识别，检测准确率99.2%，单件检测时间小于50毫秒，可接入PLC产线。",
        Keywords = ["机器视觉", "缺陷检测", "深度学习"],
        Organization = "华中科技大学",
    };

    public static readonly Achievement Rice = new()
    {
        Id = "A3",
        Title = "水稻稻瘟病抗性基因的分子標記輔助育種技術",
        Abstract = "利用分子標記輔助選擇，將廣譜抗稻瘟病基因聚合到優質雜交水稻親本中，田間發病率降低80%以上。",
        Keywords = ["水稻", "稻瘟病", "分子育種"],
        Organization = "華南農業大學",
    };

    public static readonly Achievement Wastewater = new()
    {
        Id = "A4",
        Title = "高盐有机废水的催化湿式氧化处理工艺",
        Abstract = "针对化工园区高盐高COD废水难以生化处理的问题，开发负载型钌催化剂，COD去除率达到95%，出水满足园区纳管标准。",
        Keywords = ["废水处理", "催化氧化", "高盐废水"],
        Organization = "南开大学",
    };

    public static readonly Demand BatteryDemand = new()
    {
        Id = "D1",
        Title = "动力电池正极材料循环寿命提升",
        Description = "我公司生产三元锂电池，高镍正极材料在循环过程中容量衰减明显，希望与高校合作开发表面包覆改性工艺，使循环1000次后容量保持率不低于90%。",
        Keywords = ["正极材料", "循环寿命"],
        Organization = "宁波甬能新能源科技有限公司",
        Industry = "新能源",
        Region = "浙江",
        Budget = "200万元",
        RequiredMaturity = "中试",
    };

    // Traditional script, as a partner's system sends it.
    public static readonly Demand VisionDemand = new()
    {
        Id = "D2",
        Title = "沖壓件表面缺陷自動檢測",
        Description = "本企業沖壓生產線目前依靠人工目檢，漏檢率高。尋求基於機器視覺和深度學習的表面缺陷檢測方案，要求檢測準確率99%以上。",
        Keywords = ["缺陷檢測", "機器視覺"],
        Organization = "東莞精密沖壓有限公司",
        Industry = "製造業",
        Region = "广东",
        Budget = "50萬元",
    };

    public static readonly Demand WastewaterDemand = new()
    {
        Id = "D3",
        Title = FormulaTitle,
        Description = "园区内高盐有机废水COD高达20000mg/L，现有生化工艺无法达标，寻求催化氧化等预处理技术。",
        Keywords = ["高盐废水", "COD"],
        Organization = ImgEnterprise,
        Industry = ScriptIndustry,
        Region = PathRegion,
        Budget = "-",
    };

    public static EventReport Build(bool withAgenda = true) => new()
    {
        Title = "2025年长三角政产学研对接会",
        Method = Method,
        Summary = new ReportSummary(
            Achievements: 4,
            Demands: 3,
            Universities: 4,
            Enterprises: 3,
            DemandsWithStrongMatch: 2,
            StrongThreshold: 0.6,
            ByIndustry: [new("新能源", 1, 1), new("製造業", 1, 0), new(ScriptIndustry, 1, 1)],
            ByRegion: [new("浙江", 1, 1), new("广东", 1, 0), new(PathRegion, 1, 1)]),
        Pairs =
        [
            new PairScore("中南大学", BatteryDemand.Organization, 0.912,
                [new PairEvidence("D1", BatteryDemand.Title, "A1", Battery.Title, 1, 0.91)]),
            new PairScore("南开大学", ImgEnterprise, 0.784,
                [new PairEvidence("D3", FormulaTitle, "A4", Wastewater.Title, 1, 0.78)]),
        ],
        Demands =
        [
            new DemandCard(BatteryDemand,
            [
                new Recommendation(Battery, 1, 2.4567, 0.91, new Explanation(
                    ["正极材料", "表面包覆", "循环"],
                    [
                        new Snippet("title", [new("一种高镍三元锂离子电池", false), new("正极材料", true), new("的", false), new("表面包覆", true), new("改性技术", false)]),
                        new Snippet("abstract", [new("……采用原子层沉积在颗粒表面包覆纳米氧化铝层，", false), new("循环", true), new("1000次容量保持率达92%。", false)]),
                    ],
                    [
                        new FeatureContribution("idf_coverage_demand", "需求要点覆盖率", 0.82, 0.412),
                        new FeatureContribution("title_coverage", "需求标题覆盖率", 0.6, 0.105),
                        new FeatureContribution("number_mismatch", "数字不一致", 2, -0.045),
                    ])),
                new Recommendation(Rice, 2, -0.3125, 0.08, new Explanation([], [], [])),
            ]),
            new DemandCard(VisionDemand,
            [
                new Recommendation(Vision, 1, 1.0231, 0.55, new Explanation(
                    ["缺陷检测", "机器视觉"],
                    [new Snippet("abstract", [new("<b>采用卷积神经网络</b>对金属零件表面划痕、凹坑等", false), new("缺陷", true), new("进行实时识别", false)])],
                    [new FeatureContribution("keyword_exact", "需求关键词原文命中", 1, 0.3)])),
            ]),
            new DemandCard(WastewaterDemand,
            [
                new Recommendation(Wastewater, 1, 1.876, 0.78, new Explanation(
                    ["高盐废水", "COD"],
                    [new Snippet("abstract", [new("针对化工园区", false), new("高盐", true), new("高", false), new("COD", true), new("废水难以生化处理的问题", false)])],
                    [new FeatureContribution("bm25", "需求→成果文本相关度(BM25)", 14.2, 0.51)])),
            ]),
        ],
        Agenda = withAgenda
            ? new Agenda(
                [
                    new Meeting(1, 1, "中南大学", BatteryDemand.Organization, 0.912),
                    new Meeting(1, 2, "南开大学", ImgEnterprise, 0.784),
                    new Meeting(2, 1, "华中科技大学", VisionDemand.Organization, 0.55),
                ],
                Objective: 2.246,
                GreedyObjective: 2.1,
                UpperBound: 2.36,
                Status: "FEASIBLE",
                Unscheduled: [new MeetingRequest("華南農業大學", BatteryDemand.Organization, 0.08)])
            : null,
    };
}
