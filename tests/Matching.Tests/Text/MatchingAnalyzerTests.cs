using Matching.Text;
using static Matching.Tests.TestAnalysis;

namespace Matching.Tests.Text;

public sealed class MatchingAnalyzerTests
{
    private MatchingAnalyzer _jieba = null!;
    private MatchingAnalyzer _smartCn = null!;

    [OneTimeSetUp]
    public void CreateAnalyzers()
    {
        _jieba = MatchingAnalyzer.ForIndexing(AnalyzerKind.Jieba);
        _smartCn = MatchingAnalyzer.ForIndexing(AnalyzerKind.SmartCn);
    }

    [OneTimeTearDown]
    public void DisposeAnalyzers()
    {
        _jieba.Dispose();
        _smartCn.Dispose();
    }

    [Test]
    public void Jieba_PatentSentence_WordsWithStackedSubWordsAndExactOffsets()
    {
        var tokens = Tokens(_jieba, "本发明公开了一种高能量密度锂离子电池正极材料及其制备方法。");

        // 了, 一种 and 及其 are stop words: the next word's increment counts the gap.
        Assert.That(Show(tokens), Is.EqualTo(
            "本发明[0,3) 发明[1,3)+0 公开[3,5) 高能量[8,11)+3 高能[8,10)+0 能量[9,11)+0 密度[11,13) " +
            "锂离子电池[13,18) 锂离子[13,16)+0 离子[14,16)+0 电池[16,18)+0 正极材料[18,22) 正极[18,20)+0 材料[20,22)+0 " +
            "制备[24,26)+2 方法[26,28) <end>[29,29)+0"));
    }

    [Test]
    public void Jieba_TraditionalSentence_SameTermsAsSimplifiedOriginal()
    {
        const string simplified = "干燥设备的核心部件采用碳纤维复合材料制造，检测精度达到99.5%。";
        const string traditional = "乾燥設備的核心部件採用碳纖維複合材料製造，檢測精度達到99.5%。";

        var fromSimplified = Tokens(_jieba, simplified);
        var fromTraditional = Tokens(_jieba, traditional);

        // Same length here, so even the offsets agree; 核心 stays 核心 (no Taiwan-phrase 内核).
        Assert.That(fromTraditional, Is.EqualTo(fromSimplified));
        Assert.That(Show(fromTraditional), Does.StartWith("干燥设备[0,4) 干燥[0,2)+0 设备[2,4)+0 核心部件[5,9)+2 核心[5,7)+0"));
    }

    [Test]
    public void Jieba_TraditionalOffsets_PointIntoTheOriginalText()
    {
        const string text = "一種鋰離子電池正極材料的製備方法";

        var tokens = Tokens(_jieba, text);

        var battery = tokens.Single(t => t.Term == "锂离子电池");
        var preparation = tokens.Single(t => t.Term == "制备");
        Assert.Multiple(() =>
        {
            Assert.That(text[battery.Start..battery.End], Is.EqualTo("鋰離子電池"));
            Assert.That(text[preparation.Start..preparation.End], Is.EqualTo("製備"));
        });
    }

    [Test]
    public void Jieba_FullWidthAndLatin_FoldedToHalfWidthLowerCase()
    {
        var tokens = Tokens(_jieba, "基于５Ｇ通信的工业机器人视觉检测系统，采用PLC控制");

        Assert.That(Show(tokens), Is.EqualTo(
            "5g[2,4)+2 通信[4,6) 工业机器人[7,12)+2 工业[7,9)+0 机器[9,11)+0 机器人[9,12)+0 视觉检测[12,16) 视觉[12,14)+0 " +
            "检测[14,16)+0 系统[16,18) plc[21,24)+2 控制[24,26) <end>[26,26)+0"));
    }

    [Test]
    public void Jieba_ChineseNumerals_OneDigitTermWithoutSubWordNoiseQuantityStacked()
    {
        var tokens = Tokens(_jieba, "轉化率提高百分之九十五，節約三十五萬元。");

        Assert.That(Show(tokens), Is.EqualTo(
            "转化率[0,3) 转化[0,2)+0 提高[3,5) 95%[5,11) 节约[12,14) 35[14,17) 35万元[14,19)+0 万元[17,19) <end>[20,20)+0"),
            "the quantity 35万元 is stacked on its number; number and unit stay tokens");
    }

    [Test]
    public void Jieba_DecimalPercentAndWhitespaceRuns_KeptAsTermsWithOriginalOffsets()
    {
        var tokens = Tokens(_jieba, "ＡＩ輔助診斷系統對肺結節的檢出率為96.3％  智能温室");

        Assert.That(Show(tokens), Is.EqualTo(
            "ai[0,2) 辅助[2,4) 诊断系统[4,8) 诊断[4,6)+0 系统[6,8)+0 肺[9,10)+2 结节[10,12) 检出率[13,16)+2 检出[13,15)+0 " +
            "96.3%[17,22)+2 智能温室[24,28) 智能[24,26)+0 温室[26,28)+0 <end>[28,28)+0"));
    }

    [Test]
    public void Jieba_StartOffsets_NeverGoBackwards()
    {
        const string text = "中华人民共和国科学技术部发布了新能源汽车动力电池热管理系统的技术路线图";

        var tokens = Tokens(_jieba, text).SkipLast(1).ToList();

        Assert.That(tokens.Select(t => t.Start), Is.Ordered);
        Assert.That(tokens[0], Is.EqualTo(new TestToken("中华人民共和国", 0, 7, 1)));
    }

    [Test]
    public void Jieba_EmptyAndPunctuationOnly_NoTokens()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Tokens(_jieba, ""), Is.EqualTo(new[] { new TestToken("<end>", 0, 0, 0) }));
            Assert.That(Tokens(_jieba, "，。；！"), Is.EqualTo(new[] { new TestToken("<end>", 4, 4, 0) }));
        });
    }

    [Test]
    public void SmartCn_PatentSentence_NormalisedAndWithoutPunctuation()
    {
        var tokens = Tokens(_smartCn, "一種鋰離子電池正極材料及其製備方法。");

        Assert.That(Show(tokens), Is.EqualTo(
            "种[1,2)+2 锂[2,3) 离子[3,5) 电池[5,7) 正极[7,9) 材料[9,11) 制备[13,15)+3 方法[15,17) <end>[18,18)+0"));
    }

    [Test]
    public void VersionOf_DiffersBetweenAnalyzers()
    {
        Assert.That(MatchingAnalyzer.VersionOf(AnalyzerKind.Jieba), Is.Not.EqualTo(MatchingAnalyzer.VersionOf(AnalyzerKind.SmartCn)));
        Assert.That(MatchingAnalyzer.VersionOf(AnalyzerKind.Jieba), Does.StartWith("jieba/"));
    }
}
