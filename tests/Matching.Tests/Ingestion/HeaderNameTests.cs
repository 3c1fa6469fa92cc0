using Matching.Ingestion;

namespace Matching.Tests.Ingestion;

public sealed class HeaderNameTests
{
    [TestCase("成果名称", "title")]
    [TestCase(" 成果 名称 ", "title")]
    [TestCase("成果名称*", "title")]
    [TestCase("*成果名称", "title")]
    [TestCase("成果名称（必填）", "title")]
    [TestCase("成果名称(必填)", "title")]
    [TestCase("TITLE", "title")]
    [TestCase("ＩＤ", "id")]
    [TestCase("IP Type", "ipType")]
    [TestCase("ip_type", "ipType")]
    [TestCase("知识产权类型", "ipType")]
    [TestCase("技术成熟度", "maturity")]
    [TestCase("依托单位", "organization")]
    [TestCase("成果編號", "id")]
    [TestCase("成果名稱", "title")]
    [TestCase("關鍵詞", "keywords")]
    [TestCase("完成單位", "organization")]
    [TestCase("技術領域", "field")]
    [TestCase("知識產權類型", "ipType")]
    public void FindField_AchievementHeaderVariant_MapsToField(string header, string field)
    {
        var index = Schemas.Achievements.FindField(header);

        Assert.That(Schemas.Achievements.Fields[index].Name, Is.EqualTo(field));
    }

    [TestCase("需求描述", "description")]
    [TestCase("成熟度要求", "requiredMaturity")]
    [TestCase("required_maturity", "requiredMaturity")]
    [TestCase("企业名称", "organization")]
    [TestCase("资金预算", "budget")]
    [TestCase("所属行业", "industry")]
    [TestCase("需求編號", "id")]
    [TestCase("預算", "budget")]
    [TestCase("所屬行業", "industry")]
    public void FindField_DemandHeaderVariant_MapsToField(string header, string field)
    {
        var index = Schemas.Demands.FindField(header);

        Assert.That(Schemas.Demands.Fields[index].Name, Is.EqualTo(field));
    }

    [TestCase("序号")]
    [TestCase("成果编码")]
    [TestCase("联系人")]
    public void FindField_UnknownHeader_IsMinusOne(string header)
    {
        Assert.That(Schemas.Achievements.FindField(header), Is.EqualTo(-1));
    }
}
