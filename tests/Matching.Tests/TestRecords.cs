namespace Matching.Tests;

/// <summary>A handful of real-sounding achievements and demands, in both scripts.</summary>
internal static class TestRecords
{
    public static readonly Achievement Battery = new()
    {
        Id = "A1",
        Title = "一种高镍三元锂离子电池正极材料的表面包覆改性技术",
        Abstract = "针对高镍三元正极材料循环过程中容量衰减快、热稳定性差的问题，采用原子层沉积在颗粒表面包覆纳米氧化铝层，循环1000次容量保持率达92%。",
        Keywords = ["锂离子电池", "正极材料", "表面包覆"],
        Organization = "中南大学",
    };

    public static readonly Achievement Vision = new()
    {
        Id = "A2",
        Title = "基于深度学习的工业产品表面缺陷视觉检测系统",
        Abstract = "采用卷积神经网络对金属零件表面划痕、凹坑等缺陷进行实时识别，检测准确率99.2%，单件检测时间小于50毫秒，可接入PLC产线。",
        Keywords = ["机器视觉", "缺陷检测", "深度学习"],
        Organization = "华中科技大学",
    };

    // Traditional script, as received from a partner's system.
    public static readonly Achievement Rice = new()
    {
        Id = "A3",
        Title = "水稻稻瘟病抗性基因的分子標記輔助育種技術",
        Abstract = "利用分子標記輔助選擇，將廣譜抗稻瘟病基因聚合到優質雜交水稻親本中，田間發病率降低80%以上，畝產提高8.5%。",
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
        Organization = "宁波某新能源科技有限公司",
    };

    // Traditional script demand whose answer is the Simplified vision achievement.
    public static readonly Demand VisionDemand = new()
    {
        Id = "D2",
        Title = "沖壓件表面缺陷自動檢測",
        Description = "本企業沖壓生產線目前依靠人工目檢，漏檢率高。尋求基於機器視覺和深度學習的表面缺陷檢測方案，要求檢測準確率99%以上，能與現有PLC聯動。",
        Keywords = ["缺陷檢測", "機器視覺"],
        Organization = "蘇州某精密製造有限公司",
    };

    public static readonly Demand RiceDemand = new()
    {
        Id = "D3",
        Title = "抗稻瘟病水稻新品种选育",
        Description = "公司在南方推广杂交水稻，稻瘟病造成减产严重，需要抗稻瘟病基因的分子标记辅助育种技术，合作选育抗病优质品种。",
        Keywords = ["稻瘟病", "水稻育种"],
        Organization = "湖南某种业股份有限公司",
    };

    public static IReadOnlyList<Achievement> Achievements => [Battery, Vision, Rice, Wastewater];

    public static IReadOnlyList<Demand> Demands => [BatteryDemand, VisionDemand, RiceDemand];
}
