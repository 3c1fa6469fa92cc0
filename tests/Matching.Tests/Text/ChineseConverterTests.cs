using Matching.Text;

namespace Matching.Tests.Text;

public sealed class ChineseConverterTests
{
    [TestCase("鋰離子電池正極材料的製備方法", "锂离子电池正极材料的制备方法")]
    [TestCase("基於深度學習的工業缺陷檢測", "基于深度学习的工业缺陷检测")]
    [TestCase("一目瞭然", "一目了然")]
    [TestCase("乾燥", "干燥")]
    [TestCase("核心技術", "核心技术")]
    [TestCase("已经是简体", "已经是简体")]
    public void Convert_TraditionalText_Simplified(string traditional, string simplified)
    {
        Assert.That(ChineseConverter.Default.Convert(traditional), Is.EqualTo(simplified));
    }
}

public sealed class TextNormalizerTests
{
    [Test]
    public void NormalizeWithOffsets_FoldsWidthCaseScriptAndSpace_OffsetsPointBack()
    {
        const string text = "ＰＬＣ控制　　系統";

        var normalized = TextNormalizer.Default.NormalizeWithOffsets(text);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(normalized.Text, Is.EqualTo("plc控制 系统"));
            Assert.That(normalized.Offsets, Is.EqualTo(new[] { 0, 1, 2, 3, 4, 5, 7, 8, 9 }));
        }
    }

    [Test]
    public void Normalize_ControlCharacters_BecomeOneSpace()
    {
        Assert.That(TextNormalizer.Default.Normalize("智能\t\r\n\u0000温室"), Is.EqualTo("智能 温室"));
    }
}

public sealed class ChineseNumeralsTests
{
    [TestCase("三十五", true, "35")]
    [TestCase("一百零八", true, "108")]
    [TestCase("十五", true, "15")]
    [TestCase("三十五万", true, "350000")]
    [TestCase("百分之九十五", true, "95%")]
    [TestCase("二〇二四", true, "2024")]
    [TestCase("万一", false, "")]
    [TestCase("千万", false, "")]
    [TestCase("一", false, "")]
    [TestCase("第十五届", false, "")]
    public void TryNormalize_Examples(string word, bool converted, string digits)
    {
        var ok = ChineseNumerals.TryNormalize(word, out var result);

        Assert.That((ok, result), Is.EqualTo((converted, digits)));
    }
}
