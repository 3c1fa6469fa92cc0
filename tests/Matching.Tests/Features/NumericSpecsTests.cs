using Matching.Features;
using Matching.Text;

namespace Matching.Tests.Features;

public sealed class NumericSpecsTests
{
    private static NumericSpec[] Extract(string text) => NumericSpecs.Extract(TextNormalizer.Default.Normalize(text));

    [TestCase("容量保持率≥90%", "量保持率", "AtLeast", 90f, 90f)]
    [TestCase("容量保持率不低于90%", "量保持率", "AtLeast", 90f, 90f)]
    [TestCase("容量保持率達到92%", "量保持率", "AtLeast", 92f, 92f)]
    [TestCase("循环寿命1000次以上", "循环寿命", "AtLeast", 1000f, 1000f)]
    [TestCase("循環壽命1萬次", "循环寿命", "About", 10000f, 10000f)]
    [TestCase("温度 ≤ 80 ℃", "温度", "AtMost", 80f, 80f)]
    [TestCase("工作温度-20~60℃", "工作温度", "Range", -20f, 60f)]
    [TestCase("精度0.05mm", "精度", "About", 0.00005f, 0.00005f)]
    [TestCase("定位精度±0.02 mm", "定位精度", "AtMost", 0.00002f, 0.00002f)]
    [TestCase("单件检测时间小于50毫秒", "检测时间", "AtMost", 0.05f, 0.05f)]
    [TestCase("電壓約220V", "电压", "About", 220f, 220f)]
    public void Extract_OneSpec(string text, string quantity, string bound, float low, float high)
    {
        var specs = Extract(text);

        Assert.That(specs, Has.Length.EqualTo(1));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(specs[0].QuantityWord, Is.EqualTo(quantity));
            Assert.That(specs[0].Bound.ToString(), Is.EqualTo(bound));
            Assert.That(specs[0].Low, Is.EqualTo(low).Within(1e-6f * Math.Max(1f, Math.Abs(low))));
            Assert.That(specs[0].High, Is.EqualTo(high).Within(1e-6f * Math.Max(1f, Math.Abs(high))));
        }
    }

    [TestCase("循环寿命达到1000")]
    [TestCase("支持5G通信，兼容4G网络")]
    [TestCase("2020年开始研发")]
    [TestCase("2018-2020年完成中试")]
    [TestCase("PM2.5浓度下降")]
    [TestCase("通过ISO9001认证")]
    [TestCase("共有3个方面")]
    public void Extract_NoUnitCodeOrDate_NoSpec(string text) => Assert.That(Extract(text), Is.Empty);

    [Test]
    public void Extract_Sentence_EverySpecInOrder()
    {
        var specs = Extract("循环1000次后容量保持率不低于90%，能量密度达到300 Wh/kg");

        Assert.That(specs.Select(s => (s.QuantityWord, s.Bound, s.Low)), Is.EqualTo(new[]
        {
            ("循环", SpecBound.About, 1000f),
            ("量保持率", SpecBound.AtLeast, 90f),
            ("能量密度", SpecBound.AtLeast, 300f),
        }));
    }

    [TestCase("容量保持率达到92%", 1f, 0f)]
    [TestCase("容量保持率85%", 0f, 1f)]
    [TestCase("容量保持率為90%", 1f, 0f)]
    [TestCase("容量衰减率5%", 0f, 0f)]
    [TestCase("充电时间90分钟", 0f, 0f)]
    [TestCase("保持率高达95%", 1f, 0f)]
    public void Compare_AtLeastNinetyPercent(string achievement, float met, float conflicting) =>
        Assert.That(NumericSpecs.Compare(Extract("容量保持率≥90%"), Extract(achievement)), Is.EqualTo((met, conflicting)));

    [TestCase("检测精度0.02mm", 0f, 0f)]
    [TestCase("检测精度50μm", 1f, 0f)]
    [TestCase("检测精度0.05 mm", 1f, 0f)]
    public void Compare_NoComparator_MetWithinTenPercentNeverConflicting(string achievement, float met, float conflicting) =>
        Assert.That(NumericSpecs.Compare(Extract("精度0.05mm"), Extract(achievement)), Is.EqualTo((met, conflicting)));

    [Test]
    public void Compare_DemandWithoutSpec_Unknown()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(NumericSpecs.Compare(Extract("循环寿命1000"), Extract("循环寿命1000次")), Is.EqualTo((-1f, -1f)));
            Assert.That(NumericSpecs.Compare(Extract("工作温度≤80℃"), Extract("工作温度-20~60℃")), Is.EqualTo((1f, 0f)));
            Assert.That(NumericSpecs.Compare(Extract("工作温度≥100℃"), Extract("工作温度-20~60℃")), Is.EqualTo((0f, 1f)));
        }
    }

    [TestCase("容量保持率", "保持率", true)]
    [TestCase("循环寿命", "循环", true)]
    [TestCase("工作温度", "储存温度", true)]
    [TestCase("温度", "湿度", false)]
    [TestCase("容量保持率", "容量衰减率", false)]
    public void Related_QuantityWords(string demand, string achievement, bool related)
    {
        var d = Extract(demand + "90%")[0].Quantity;
        var a = Extract(achievement + "90%")[0].Quantity;
        Assert.That(NumericSpecs.Related(d, a), Is.EqualTo(related));
    }
}
