namespace Matching.Text;

/// <summary>Which Chinese segmenter indexes and queries text.</summary>
public enum AnalyzerKind
{
    /// <summary>jieba.NET 0.42.2 with Matching's user dictionary (the default).</summary>
    Jieba,

    /// <summary>Lucene's SmartCn (HMM) analyzer, for comparison.</summary>
    SmartCn,
}
