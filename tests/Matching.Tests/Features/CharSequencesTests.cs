using Matching.Features;

namespace Matching.Tests.Features;

public sealed class CharSequencesTests
{
    [Test]
    public void LongestCommonSubsequence_ReorderedTitle_SharesOnlyOneHalfInOrder()
    {
        // 深度学习 and 图像识别 are both shared, but in opposite order: only one of them counts.
        using (Assert.EnterMultipleScope())
        {
            Assert.That(CharSequences.LongestCommonSubsequence("基于深度学习的图像识别", "图像识别的深度学习方法"), Is.EqualTo(4));
            Assert.That(CharSequences.LongestCommonSubsequence("基于深度学习的图像识别", "基于深度学习的图像识别方法"), Is.EqualTo(11));
            Assert.That(CharSequences.EditDistance("基于深度学习的图像识别", "图像识别的深度学习方法"), Is.EqualTo(10));
            Assert.That(CharSequences.EditDistance("锂电池", "锂离子电池"), Is.EqualTo(2));
            Assert.That(CharSequences.CommonCount("基于深度学习的图像识别", "图像识别的深度学习方法"), Is.EqualTo(9), "all but 基于");
            Assert.That(CharSequences.CommonCount("电池电池", "电动汽车电池"), Is.EqualTo(3), "电 twice, 池 once");
            Assert.That(CharSequences.CommonCount("鱼塘死鱼", "溶解氧在线监测"), Is.Zero);
            Assert.That(CharSequences.LettersAndDigits("容量保持率≥90%，PLC联动。"), Is.EqualTo("容量保持率90PLC联动"));
        }
    }

    [Test]
    public void CharPattern_ReorderedTitle_SameAsDynamicProgramme()
    {
        var pattern = CharPattern.Rent();
        try
        {
            pattern.Load("基于深度学习的图像识别".ToCharArray());

            using (Assert.EnterMultipleScope())
            {
                // Punctuation and spaces in the text are not in the pattern and change nothing.
                Assert.That(pattern.LongestCommonSubsequence("图像识别的，深度学习方法", []), Is.EqualTo(4));
                Assert.That(pattern.LongestCommonSubsequence("图像识别的", " 深度学习方法"), Is.EqualTo(4));
                Assert.That(pattern.EditDistance("图像识别的深度学习方法"), Is.EqualTo(10));
                Assert.That(pattern.EditDistance(""), Is.EqualTo(11));
                Assert.That(pattern.CommonCount("图像识别的，", "深度学习方法"), Is.EqualTo(9));
                Assert.That(pattern.CommonCount("学习学习", "学习"), Is.EqualTo(2), "the pattern has 学 and 习 once each");
            }
        }
        finally
        {
            pattern.Return();
        }
    }

    [Test]
    public void CharPattern_RandomStrings_EqualDynamicProgrammeAtEveryLength()
    {
        // A small alphabet makes long common subsequences and many near-ties; lengths cross the 64-bit word boundary.
        const string Alphabet = "电池正极材料循环";
        var random = new Random(1);
        string Random(int length) => new([.. Enumerable.Range(0, length).Select(_ => Alphabet[random.Next(Alphabet.Length)])]);
        var pattern = CharPattern.Rent();
        try
        {
            using (Assert.EnterMultipleScope())
            {
                foreach (var m in new[] { 0, 1, 2, 31, 63, 64, 65, 100, 127, 128 })
                {
                    for (var trial = 0; trial < 6; trial++)
                    {
                        var p = Random(m);
                        var text = Random(random.Next(0, 600));
                        var shortText = Random(random.Next(0, 140));
                        pattern.Load(p.ToCharArray());
                        var cut = random.Next(0, text.Length + 1);
                        Assert.That(pattern.LongestCommonSubsequence(text.AsSpan(0, cut), text.AsSpan(cut)), Is.EqualTo(CharSequences.LongestCommonSubsequence(p, text)), $"LCS m={m}");
                        Assert.That(pattern.EditDistance(shortText), Is.EqualTo(CharSequences.EditDistance(p, shortText)), $"edit m={m}");
                        Assert.That(pattern.CommonCount(text.AsSpan(0, cut), text.AsSpan(cut)), Is.EqualTo(CharSequences.CommonCount(p, text)), $"common m={m}");
                        Assert.That(pattern.CommonCount(text.AsSpan(0, cut), text.AsSpan(cut)), Is.EqualTo(CharSequences.CommonCount(p, text)), $"common again m={m}: counts were reset");
                    }
                }
            }
        }
        finally
        {
            pattern.Return();
        }
    }

    [Test]
    public void Load_OverMaxLength_Throws()
    {
        var pattern = CharPattern.Rent();
        try
        {
            Assert.That(() => pattern.Load(new char[CharPattern.MaxLength + 1]), Throws.ArgumentException);
        }
        finally
        {
            pattern.Return();
        }
    }
}
