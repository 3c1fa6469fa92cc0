using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using JiebaNet.Segmenter;
using Matching.Ingestion;

namespace Matching.Peers;

/// <summary>Segmentation throughput and token sequences: Matching's segmenter and jieba.NET's own <c>Cut</c>.</summary>
internal static class Segmentation
{
    /// <summary>Writes one abstract a line (line breaks inside an abstract become spaces): the common input of every peer.</summary>
    public static int Lines(string dataDir, string outPath)
    {
        var records = RecordReader.ReadAchievements(Path.Combine(dataDir, "achievements.jsonl")).Records;
        using var writer = new StreamWriter(outPath, false, new UTF8Encoding(false)) { NewLine = "\n" };
        var lines = 0;
        long chars = 0;
        foreach (var record in records)
        {
            var text = record.Abstract.Replace('\r', ' ').Replace('\n', ' ').Trim();
            if (text.Length == 0)
            {
                continue;
            }

            writer.WriteLine(text);
            lines++;
            chars += text.EnumerateRunes().Count();
        }

        Results.Log($"{outPath}: {lines} lines, {chars} characters (code points)");
        return 0;
    }

    /// <summary>jieba.NET 0.42.2 alone, with its own dictionary (no user dictionary): the peer that Python jieba
    /// and jieba-rs are compared with token for token.</summary>
    public static int JiebaNetDefault(string linesPath, string tokensOut, int rounds)
    {
        var lines = File.ReadAllLines(linesPath, Encoding.UTF8);
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var load = Timing.Measure(() =>
        {
            ConfigManager.ConfigFileBaseDir = Path.Combine(AppContext.BaseDirectory, "resources", "jieba");
            _ = new JiebaSegmenter().Cut("预热", false, true).Count();
        });
        var jieba = new JiebaSegmenter();
        if (WordDictionary.Instance.Total < 1_000_000)
        {
            throw new InvalidOperationException("jieba.NET's dictionary did not load");
        }

        Func<string, int> cut = line => jieba.Cut(line, false, true).Count();
        var samples = Run(lines, cut, rounds);
        Emit("jieba.NET 0.42.2 Cut (own dict)", "jieba.NET", lines, samples, load);
        Dump(tokensOut, lines.Select(line => jieba.Cut(line, false, true).ToList()));
        return 0;
    }

    /// <summary>Matching's segmenter (jieba dictionary + Matching's user dictionary) against jieba.NET's own
    /// <c>Cut</c> and <c>Tokenize</c> over the same dictionary, interleaved round by round.</summary>
    public static int Matching(string linesPath, string outDir, int rounds)
    {
        var lines = File.ReadAllLines(linesPath, Encoding.UTF8);
        Func<string, IList>? segment = null;
        var load = Timing.Measure(() =>
        {
            segment = Internals.PreciseSegmenter();
            _ = segment("预热").Count;
        });
        var precise = segment!;
        var span = Internals.TokenSpan();
        var jieba = new JiebaSegmenter(); // shares jieba's static dictionary, user dictionary included
        using var analyzer = Internals.QueryAnalyzer();
        var terms = Internals.Terms(analyzer);

        var subjects = new (string Name, string Key, Func<string, int> Run)[]
        {
            ("Matching ChineseSegmenter.Segment(Precise)", "matching.segment", line => precise(line).Count),
            ("jieba.NET Cut (same dict + Matching userdict)", "jieba.NET+userdict.cut", line => jieba.Cut(line, false, true).Count()),
            ("jieba.NET Tokenize (same dict + Matching userdict)", "jieba.NET+userdict.tokenize", line => jieba.Tokenize(line, TokenizerMode.Default, true).Count()),
            ("Matching query analyzer (normalise + segment + stop words)", "matching.analyzer", line => terms(line).Count),
        };

        // One warm-up pass each, then the rounds interleaved so that load from other work hits all alike.
        foreach (var subject in subjects)
        {
            foreach (var line in lines)
            {
                subject.Run(line);
            }
        }

        var samples = subjects.Select(_ => new List<Sample>()).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            for (var s = 0; s < subjects.Length; s++)
            {
                var run = subjects[s].Run;
                samples[s].Add(Timing.Measure(() =>
                {
                    long tokens = 0;
                    foreach (var line in lines)
                    {
                        tokens += run(line);
                    }

                    GC.KeepAlive(tokens);
                }));
            }
        }

        for (var s = 0; s < subjects.Length; s++)
        {
            Emit(subjects[s].Name, subjects[s].Key, lines, samples[s], s == 0 ? load : null);
        }

        // Token sequences: Matching's tokens as the surface text they cover (numerals are rewritten to digits in
        // the term, not in the surface), and jieba.NET's Cut over the same dictionary.
        var agree = 0;
        var matchingTokens = new List<List<string>>(lines.Length);
        var cutTokens = new List<List<string>>(lines.Length);
        foreach (var line in lines)
        {
            var mine = new List<string>();
            foreach (var token in precise(line))
            {
                var (start, end) = span(token!);
                mine.Add(line[start..end]);
            }

            var theirs = jieba.Cut(line, false, true).ToList();
            if (mine.SequenceEqual(theirs.Where(HasLetterOrDigit)))
            {
                agree++;
            }

            matchingTokens.Add(mine);
            cutTokens.Add(theirs);
        }

        Results.Emit(new()
        {
            ["kind"] = "seg-agreement",
            ["a"] = "matching.segment",
            ["b"] = "jieba.NET+userdict.cut (tokens with a letter or digit)",
            ["lines"] = lines.Length,
            ["agree"] = agree,
        });
        Dump(Path.Combine(outDir, "tokens.matching.jsonl"), matchingTokens);
        Dump(Path.Combine(outDir, "tokens.jiebanet-userdict.jsonl"), cutTokens);
        return 0;
    }

    private static bool HasLetterOrDigit(string word) => word.Any(char.IsLetterOrDigit);

    private static List<Sample> Run(string[] lines, Func<string, int> run, int rounds)
    {
        foreach (var line in lines)
        {
            run(line); // warm-up pass: JIT tiers settle
        }

        var samples = new List<Sample>();
        for (var round = 0; round < rounds; round++)
        {
            samples.Add(Timing.Measure(() =>
            {
                long tokens = 0;
                foreach (var line in lines)
                {
                    tokens += run(line);
                }

                GC.KeepAlive(tokens);
            }));
        }

        return samples;
    }

    private static void Emit(string name, string key, string[] lines, List<Sample> samples, Sample? load)
    {
        Results.Emit(new()
        {
            ["kind"] = "seg",
            ["peer"] = name,
            ["key"] = key,
            ["lines"] = lines.Length,
            ["chars"] = lines.Sum(l => (long)l.EnumerateRunes().Count()),
            ["wall_s"] = Results.Walls(samples),
            ["cpu_s"] = Results.Cpus(samples),
            ["thread_cpu_s"] = Results.ThreadCpus(samples),
            ["load_s"] = load is { } l ? Math.Round(l.Wall, 3) : null,
        });
    }

    private static void Dump(string path, IEnumerable<List<string>> tokens)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false)) { NewLine = "\n" };
        foreach (var line in tokens)
        {
            writer.WriteLine(JsonSerializer.Serialize(line, Results.Json));
        }
    }
}
