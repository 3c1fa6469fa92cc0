using System.Diagnostics;
using Matching.Text;
using static Matching.Tests.TestAnalysis;

namespace Matching.Tests.Text;

/// <summary>Runs too long for jieba are segmented in pieces: ordinary text is never cut, and offsets still point into the
/// text whatever was cut.</summary>
public sealed class ChineseSegmenterTests
{
    [Test]
    public void Cuts_EverySampleRecord_None()
    {
        var texts = SampleEvent.Achievements.SelectMany(a => new[] { a.Title, a.Abstract, string.Join("；", a.Keywords) })
            .Concat(SampleEvent.Demands.SelectMany(d => new[] { d.Title, d.Description, string.Join("；", d.Keywords) }))
            .Select(t => TextNormalizer.Default.Normalize(t));

        Assert.That(texts.Where(t => ChineseSegmenter.Cuts(t).Any()), Is.Empty);
    }

    [Test]
    public void Cuts_RunLongerThanMaxRun_EveryMaxRunCharactersIntoIt()
    {
        var text = "前言。" + new string('中', 2500) + "，结尾 " + new string('a', 1000);

        Assert.That(ChineseSegmenter.Cuts(text), Is.EqualTo(new[] { 3 + 1000, 3 + 2000 }), "a run of exactly MaxRun is not cut");
    }

    [Test]
    public void Segment_RepeatedWordsOverSeveralPieces_SameTokensAsOneWordShiftedAlong()
    {
        // Pieces are 1,000 characters, a multiple of the word's 5: no word is split, so nothing may change.
        var text = string.Concat(Enumerable.Repeat("锂离子电池", 700));

        var tokens = ChineseSegmenter.Shared.Segment(text, SegmentMode.Search);
        var one = ChineseSegmenter.Shared.Segment("锂离子电池", SegmentMode.Search);

        Assert.That(tokens, Is.EqualTo(Enumerable.Range(0, 700).SelectMany(i => one.Select(t => t with { Start = t.Start + (5 * i), End = t.End + (5 * i) }))));
    }

    [Test]
    public void Segment_HundredThousandOfOneCharacter_SegmentedInPiecesWithOffsetsIntoTheText()
    {
        // Whole, jieba takes about 8 s for this run (81 s for 350,000); in pieces a few hundred milliseconds.
        var text = "开头。" + new string('中', 100_000) + "。结尾";
        var clock = Stopwatch.StartNew();

        var tokens = ChineseSegmenter.Shared.Segment(text, SegmentMode.Precise);

        TestContext.Out.WriteLine($"{tokens.Count} tokens in {clock.ElapsedMilliseconds} ms");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(tokens.All(t => text[t.Start..t.End] == t.Term), Is.True);
            Assert.That(tokens.Zip(tokens.Skip(1)).All(p => p.First.End <= p.Second.Start), Is.True, "in order, not overlapping");
            Assert.That(tokens.Sum(t => t.End - t.Start), Is.EqualTo(text.Length - 2), "every character but the two full stops");
        }
    }

    [Test]
    public void Analyzer_LongRunAfterFullWidthText_OffsetsPointIntoTheOriginal()
    {
        using var analyzer = MatchingAnalyzer.ForIndexing(AnalyzerKind.Jieba);
        var text = "ＮＣＭ８１１正極材料：" + string.Concat(Enumerable.Repeat("鋰離子電池", 500));

        var tokens = Tokens(analyzer, text).Where(t => t.Term != "<end>").ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(tokens[0], Is.EqualTo(new TestToken("ncm811", 0, 6, 1)));
            Assert.That(tokens.Count(t => t.Term == "锂离子电池"), Is.EqualTo(500));
            Assert.That(tokens.Where(t => t.Term == "锂离子电池").All(t => text[t.Start..t.End] == "鋰離子電池"), Is.True);
        }
    }
}
