using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Matching.Ingestion;

namespace Matching.Tests.Reliability;

/// <summary>The shape of a reader's input, which decides how it is damaged.</summary>
internal enum InputFormat
{
    /// <summary>CSV or TSV with a header row.</summary>
    Table,

    /// <summary>One JSON object a line.</summary>
    Jsonl,

    /// <summary>An .xlsx workbook.</summary>
    Xlsx,

    /// <summary>Whitespace-separated TREC lines (qrels, runs).</summary>
    Trec,

    /// <summary>One JSON document (the options file).</summary>
    Json,
}

/// <summary>One reader under test and the valid input it is fuzzed from.</summary>
internal sealed class FuzzTarget
{
    public required string Name { get; init; }

    public required string Extension { get; init; }

    public required InputFormat Format { get; init; }

    public char Delimiter { get; init; } = ',';

    /// <summary>The seed as a table (header first), for table, JSONL and XLSX targets.</summary>
    public string[][]? Rows { get; init; }

    public string[]? JsonKeys { get; init; }

    public required byte[] Seed { get; init; }

    /// <summary>Reads the file; throws on failure, or <see cref="InvariantViolation"/> when a success looks wrong.</summary>
    public required Action<string, ReadOptions?> Read { get; init; }

    /// <summary>Whether the reader takes <see cref="ReadOptions"/> (the record readers).</summary>
    public bool TakesOptions { get; init; }

    public override string ToString() => Name;
}

/// <summary>A reader returned something that breaks its own contract (an empty id, a negative capacity, a null list).</summary>
internal sealed class InvariantViolation(string message) : Exception(message);

/// <summary>One generated input: made lazily (on the worker that runs it) and deterministically from its number.</summary>
internal sealed record FuzzCase(int Number, FuzzTarget Target, string Mutation, Func<byte[]> Bytes, ReadOptions? Options)
{
    public override string ToString() => $"#{Number} {Target.Name} [{Mutation}]";
}

/// <summary>A deterministic generator of malformed inputs for one reader: every case is derived from a seeded
/// <see cref="Random"/> and the valid seed, by one of the mutation classes below, chosen round-robin.</summary>
internal sealed class MalformedInputs
{
    public const string TenMegabyteField = "10 MB field";
    public const string MillionColumns = "1,000,000 empty columns";

    private static readonly Lazy<string> s_tenMegabytes = new(() =>
    {
        // 3 bytes a character in UTF-8: 3.5 M characters of real Chinese make a field of 10 MB.
        const string sentence = "本成果采用湿法快离子导体包覆结合体相共掺杂工艺，循环寿命提高百分之三十；";
        var builder = new StringBuilder(3_500_000 + sentence.Length);
        while (builder.Length < 3_500_000)
        {
            builder.Append(sentence);
        }

        return builder.ToString();
    });

    private static readonly Lazy<string> s_millionCommas = new(() => new string(',', 1_000_000));

    private static readonly byte[][] InvalidUtf8 =
    [
        [0x80], [0xBF], [0xC0, 0x80], [0xC3, 0x28], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
        [0xF5], [0xFF], [0xFE], [0xE6, 0xB5], [0xF0, 0x9F, 0x98], [0xC2], [0xEF, 0xBB],
    ];

    private static readonly string[] StrayTokens = [",", "\t", ";", "|", "\"", "\r", "\n", "\r\n", " ", "，", "、", "\\", "{", "}", "[", "]", ":", "\"\"", ",,,"];

    private static readonly string[] ControlCharacters =
        ["\0", "\u0001", "\u0007", "\b", "\v", "\f", "\u001A", "\u001B", "\u001F", "\u007F", "\u0085", "\u2028", "\u2029", "\u200B", "\uFFFE", "\uFFFF", "\uFFFD", "\uFEFF"];

    private static readonly string[] OddCells =
    [
        "", " ", "\u3000", "=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3", "NaN", "Infinity", "-1", "1e400", "0x10",
        "３", "１２", "𠀀𠀁", "😀", "null", "true", "../../etc/passwd", "..\\..\\x", "<script>alert(1)</script>", "99999999999999999999", "1.5", "-0",
        "签约 ", " 立项", "一;二;;三", "A001", "D001",
    ];

    private static readonly string[] JsonValues =
    [
        "null", "true", "false", "0", "-1", "1.5", "1e309", "-1e309", "12345678901234567890123", "\"\"", "\"   \"", "\"文本\"", "{}", "[]",
        "{\"a\":[1,{\"b\":null}]}", "[null]", "[\"x\",1]", "[[\"嵌套\"]]", "\"\\ud800\"", "\"\\udc00x\"", "\"\\u0000\"", "\"=HYPERLINK()\"", "{\"id\":\"A001\"}",
        "[1,2,3]", "0.0000001", "-0", "\"\\uFEFF\"",
    ];

    private readonly FuzzTarget _target;
    private readonly (string Name, Func<Random, byte[]> Make)[] _mutations;
    private readonly string _text;
    private readonly bool _bom;

    public MalformedInputs(FuzzTarget target)
    {
        _target = target;
        _bom = target.Seed.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]);
        _text = Encoding.UTF8.GetString(target.Seed.AsSpan(_bom ? 3 : 0));
        _mutations = target.Format == InputFormat.Xlsx ? [.. XlsxMutations()] : [.. TextMutations()];
    }

    public IReadOnlyList<string> Classes => [.. _mutations.Select(m => m.Name)];

    /// <summary>Case <paramref name="number"/> (unique across the run) of mutation class <paramref name="index"/> modulo the count.</summary>
    public FuzzCase Create(int number, int index)
    {
        var (name, make) = _mutations[index % _mutations.Length];
        var options = Options(new Random(number));
        return new FuzzCase(number, _target, name, () => make(new Random(unchecked((number * 7919) + 17))), options);
    }

    /// <summary>The valid seed itself: must read.</summary>
    public FuzzCase SeedCase(int number) => new(number, _target, "valid seed", () => _target.Seed, null);

    /// <summary>The few huge inputs, built from text generated once.</summary>
    public IEnumerable<FuzzCase> BigCases(int firstNumber)
    {
        var number = firstNumber;
        yield return new FuzzCase(number++, _target, TenMegabyteField, () => TenMegabytes(), null);
        yield return new FuzzCase(number++, _target, MillionColumns, () => MillionEmptyColumns(appended: true), null);
        yield return new FuzzCase(number, _target, MillionColumns, () => MillionEmptyColumns(appended: false), null);
    }

    private ReadOptions? Options(Random random)
    {
        if (!_target.TakesOptions)
        {
            return null;
        }

        return new ReadOptions
        {
            OnBadRow = random.Next(2) == 0 ? BadRowPolicy.Fail : BadRowPolicy.Skip,
            Encoding = random.Next(10) switch { 0 => Encoding.UTF8, 1 => Encoding.GetEncoding(54936), 2 => Encoding.Unicode, _ => null },
            Sheet = _target.Format == InputFormat.Xlsx ? random.Next(12) switch { 0 => "不存在的表", 1 => " 成果清单 ", _ => null } : null,
        };
    }

    // ---------------------------------------------------------------- text formats

    private IEnumerable<(string, Func<Random, byte[]>)> TextMutations()
    {
        var seed = _target.Seed;
        yield return ("truncated mid UTF-8 sequence", r => seed[..Pick(r, Positions(seed, (b, i) => b[i] is >= 0x80 and <= 0xBF), seed.Length)]);
        yield return ("truncated inside quotes", r => seed[..Pick(r, QuotedPositions(seed), seed.Length)]);
        yield return ("truncated mid line", r => seed[..Pick(r, Positions(seed, (b, i) => i > 0 && b[i - 1] != '\n' && b[i] != '\n'), seed.Length)]);
        yield return ("truncated after header", r =>
        {
            var end = Array.IndexOf(seed, (byte)'\n');
            return seed[..Math.Clamp(end + r.Next(0, 3), 0, seed.Length)];
        });
        yield return ("truncated anywhere", r => seed[..r.Next(seed.Length + 1)]);
        yield return ("unbalanced quote", UnbalancedQuote);
        yield return ("stray delimiters", r => InsertText(r, r.Next(1, 7), () => StrayTokens[r.Next(StrayTokens.Length)]));
        yield return ("invalid UTF-8", r =>
        {
            var bytes = seed;
            for (var k = r.Next(1, 4); k > 0; k--)
            {
                var sequence = r.Next(5) == 0 ? [(byte)r.Next(0x80, 0x100)] : InvalidUtf8[r.Next(InvalidUtf8.Length)];
                bytes = r.Next(2) == 0 ? Insert(bytes, r.Next(bytes.Length + 1), sequence) : Overwrite(bytes, r.Next(bytes.Length), sequence);
            }

            return bytes;
        });
        yield return ("GBK bytes without declaration", Gbk);
        yield return ("BOM in an odd place", r =>
        {
            byte[][] boms = [[0xEF, 0xBB, 0xBF], [0xFF, 0xFE], [0xFE, 0xFF], [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF], [0xFF, 0xFE, 0x00, 0x00]];
            var bom = boms[r.Next(boms.Length)];
            var newline = Array.IndexOf(seed, (byte)'\n');
            var at = r.Next(4) switch { 0 => 0, 1 => newline + 1, 2 => seed.Length, _ => r.Next(seed.Length + 1) };
            return Insert(seed, Math.Clamp(at, 0, seed.Length), bom);
        });
        yield return ("UTF-16 and UTF-32", r => r.Next(7) switch
        {
            0 => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(_text)],
            1 => [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(_text)],
            2 => Encoding.Unicode.GetBytes(_text),
            3 => [.. Encoding.UTF32.GetPreamble(), .. Encoding.UTF32.GetBytes(_text)],
            4 => [0xEF, 0xBB, 0xBF, .. Encoding.Unicode.GetBytes(_text)],
            5 => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(_text)[..^1]],
            _ => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(_text.Insert(r.Next(_text.Length), "\uD800"))],
        });
        yield return ("NUL and control characters", r => r.Next(5) switch
        {
            0 => Encode(_text.Replace('\n', '\0')),
            1 => [.. seed.SelectMany(b => new[] { b, (byte)0 })],
            _ => InsertText(r, r.Next(1, 9), () => ControlCharacters[r.Next(ControlCharacters.Length)]),
        });
        yield return ("duplicate and empty ids", r => r.Next(2) == 0 ? DuplicateId(r) : EmptyId(r));
        yield return ("missing header or key", MissingHeader);
        yield return ("repeated header or key", RepeatedHeader);
        yield return ("lines dropped, doubled, swapped", r =>
        {
            var lines = Lines();
            for (var k = r.Next(1, 4); k > 0 && lines.Count > 1; k--)
            {
                var i = r.Next(lines.Count);
                var j = r.Next(lines.Count);
                switch (r.Next(3))
                {
                    case 0: lines.RemoveAt(i); break;
                    case 1: lines.Insert(i, lines[j]); break;
                    default: (lines[i], lines[j]) = (lines[j], lines[i]); break;
                }
            }

            return Encode(string.Join('\n', lines));
        });
        yield return ("random byte damage", r =>
        {
            var bytes = seed.ToArray();
            for (var k = r.Next(1, 9); k > 0; k--)
            {
                bytes[r.Next(bytes.Length)] = (byte)r.Next(256);
            }

            return bytes;
        });
        yield return ("empty or blank", r => r.Next(8) switch
        {
            0 => [],
            1 => [0xEF, 0xBB, 0xBF],
            2 => "\n\n\n"u8.ToArray(),
            3 => " \t \r\n  "u8.ToArray(),
            4 => Encode(Lines()[0] + "\n"),
            5 => Encode(Lines()[0] + "\n\n \n" + new string(_target.Delimiter, 8) + "\n"),
            6 => [0xFF, 0xFE],
            _ => Encode(_target.Format is InputFormat.Json or InputFormat.Jsonl ? (r.Next(2) == 0 ? "{}" : "[]") : ","),
        });
        yield return ("line endings", r => r.Next(4) switch
        {
            0 => Encode(_text.Replace("\n", "\r\n", StringComparison.Ordinal)),
            1 => Encode(_text.Replace('\n', '\r')),
            2 => Encode(_text.TrimEnd('\n')),
            _ => Encode(string.Concat(_text.Split('\n').Select(l => l + (r.Next(2) == 0 ? "\r\n" : "\n")))),
        });
        yield return ("random bytes", r =>
        {
            var bytes = new byte[r.Next(1, 2049)];
            r.NextBytes(bytes);
            return bytes;
        });

        switch (_target.Format)
        {
            case InputFormat.Table:
                yield return ("header variants", HeaderVariants);
                yield return ("odd cell values", r => Encode(FuzzSeeds.Table(OddCellRows(r, TableRows()), _target.Delimiter)));
                break;
            case InputFormat.Jsonl:
            case InputFormat.Json:
                yield return ("wrong JSON types", WrongJsonTypes);
                yield return ("deep JSON nesting", DeepNesting);
                yield return ("JSON syntax oddities", JsonOddities);
                break;
            case InputFormat.Trec:
                yield return ("bad columns and numbers", TrecColumns);
                break;
            case InputFormat.Xlsx:
            default:
                break;
        }
    }

    private byte[] UnbalancedQuote(Random r)
    {
        var seed = _target.Seed;
        switch (r.Next(4))
        {
            case 0:
                return Insert(seed, r.Next(seed.Length + 1), "\""u8);
            case 1:
                var quotes = Positions(seed, (b, i) => b[i] == '"');
                if (quotes.Count == 0)
                {
                    goto case 0;
                }

                var at = quotes[r.Next(quotes.Count)];
                return [.. seed[..at], .. seed[(at + 1)..]];
            case 2:
                var lines = Lines();
                var line = r.Next(lines.Count);
                lines[line] += "\"未闭合的引号";
                return Encode(string.Join('\n', lines));
            default:
                lines = Lines();
                line = r.Next(lines.Count);
                lines[line] = "\"" + lines[line];
                return Encode(string.Join('\n', lines));
        }
    }

    private byte[] Gbk(Random r)
    {
        var gbk = Encoding.GetEncoding(936);
        switch (r.Next(4))
        {
            case 0:
                return gbk.GetBytes(_text);
            case 1:
                return Encoding.GetEncoding(54936).GetBytes(_text);
            case 2:
                var lines = Lines();
                var half = lines.Count / 2;
                return [.. Encoding.UTF8.GetBytes(string.Join('\n', lines.Take(half)) + "\n"), .. gbk.GetBytes(string.Join('\n', lines.Skip(half)))];
            default:
                return [0xEF, 0xBB, 0xBF, .. gbk.GetBytes(_text)];
        }
    }

    private byte[] DuplicateId(Random r)
    {
        var lines = Lines();
        var first = HeaderLines;
        if (lines.Count <= first + 1)
        {
            return Encode(_text + _text);
        }

        var i = r.Next(first, lines.Count - 1);
        var j = r.Next(first, lines.Count - 1);
        if (r.Next(2) == 0 || _target.Format != InputFormat.Table)
        {
            lines.Insert(j, lines[i]);
        }
        else
        {
            var rows = TableRows();
            var row = r.Next(1, rows.Length);
            rows[row][0] = rows[r.Next(1, rows.Length)][0];
            return Encode(FuzzSeeds.Table(rows, _target.Delimiter));
        }

        return Encode(string.Join('\n', lines));
    }

    private byte[] EmptyId(Random r)
    {
        switch (_target.Format)
        {
            case InputFormat.Table:
                var rows = TableRows();
                rows[r.Next(1, rows.Length)][0] = new[] { "", " ", "\u3000", "\t", "\uFEFF" }[r.Next(5)];
                return Encode(FuzzSeeds.Table(rows, _target.Delimiter));
            case InputFormat.Jsonl:
                var lines = Lines();
                var line = r.Next(lines.Count - 1);
                var node = JsonNode.Parse(lines[line])!.AsObject();
                if (r.Next(4) == 0)
                {
                    node.Remove("id");
                }
                else
                {
                    node["id"] = new[] { "", " ", "\u3000" }[r.Next(3)];
                }

                lines[line] = node.ToJsonString(Relaxed);
                return Encode(string.Join('\n', lines));
            case InputFormat.Trec:
                lines = Lines();
                line = r.Next(lines.Count - 1);
                lines[line] = string.Join(' ', lines[line].Split(' ', '\t').Skip(1));
                return Encode(string.Join('\n', lines));
            default:
                return Encode(_text.Replace("\"2026 长三角政产学研对接会\"", "\"\"", StringComparison.Ordinal).Replace("\"D012\"", "\"\"", StringComparison.Ordinal));
        }
    }

    private byte[] MissingHeader(Random r)
    {
        var lines = Lines();
        switch (_target.Format)
        {
            case InputFormat.Table:
                if (r.Next(2) == 0)
                {
                    lines.RemoveAt(0);
                }
                else
                {
                    var header = lines[0].Split(_target.Delimiter).ToList();
                    header.RemoveAt(r.Next(header.Count));
                    lines[0] = string.Join(_target.Delimiter, header);
                }

                return Encode(string.Join('\n', lines));
            case InputFormat.Jsonl:
                var line = r.Next(lines.Count - 1);
                var node = JsonNode.Parse(lines[line])!.AsObject();
                node.Remove(_target.JsonKeys![r.Next(_target.JsonKeys.Length)]);
                lines[line] = node.ToJsonString(Relaxed);
                return Encode(string.Join('\n', lines));
            case InputFormat.Json:
                var root = JsonNode.Parse(_text, documentOptions: JsonComments)!.AsObject();
                var names = root.Select(p => p.Key).ToList();
                root.Remove(names[r.Next(names.Count)]);
                return Encode(root.ToJsonString(Relaxed));
            default:
                lines.RemoveAt(r.Next(lines.Count));
                return Encode(string.Join('\n', lines));
        }
    }

    private byte[] RepeatedHeader(Random r)
    {
        var lines = Lines();
        switch (_target.Format)
        {
            case InputFormat.Table:
                switch (r.Next(3))
                {
                    case 0:
                        lines.Insert(r.Next(1, lines.Count), lines[0]);
                        break;
                    case 1:
                        lines.Insert(0, lines[0]);
                        break;
                    default:
                        var header = lines[0].Split(_target.Delimiter);
                        lines[0] += _target.Delimiter + header[r.Next(header.Length)].TrimStart('\uFEFF');
                        break;
                }

                return Encode(string.Join('\n', lines));
            case InputFormat.Jsonl:
                var line = r.Next(lines.Count - 1);
                string[] repeats = ["\"id\":\"X1\",", "\"标题\":\"重复的标题\",", "\"TITLE\":\"x\",", "\"extra\":1,\"extra\":2,", "\"关键词\":[\"a\"],", "\"id\":null,"];
                lines[line] = lines[line].Insert(1, repeats[r.Next(repeats.Length)]);
                return Encode(string.Join('\n', lines));
            case InputFormat.Json:
                string[] keys = ["\"title\": \"重复\",", "\"agenda\": null,", "\"strongMatch\": 0.9,", "\"Title\": \"大小写\","];
                return Encode(_text.Insert(_text.IndexOf('{', StringComparison.Ordinal) + 1, keys[r.Next(keys.Length)]));
            default:
                lines.Insert(r.Next(lines.Count), lines[0]);
                return Encode(string.Join('\n', lines));
        }
    }

    private byte[] HeaderVariants(Random r)
    {
        var rows = TableRows();
        var header = rows[0];
        for (var k = r.Next(1, 4); k > 0; k--)
        {
            var c = r.Next(header.Length);
            header[c] = r.Next(7) switch
            {
                0 => header[c].ToUpperInvariant(),
                1 => "＊" + header[c] + "（必填）",
                2 => " " + header[c] + " ",
                3 => "列" + c,
                4 => "",
                5 => header[(c + 1) % header.Length],
                _ => OddCells[r.Next(OddCells.Length)],
            };
        }

        return Encode(FuzzSeeds.Table(rows, _target.Delimiter));
    }

    private static string[][] OddCellRows(Random r, string[][] rows)
    {
        for (var k = r.Next(1, 5); k > 0; k--)
        {
            var row = rows[r.Next(1, rows.Length)];
            row[r.Next(row.Length)] = OddCells[r.Next(OddCells.Length)];
        }

        return rows;
    }

    private byte[] WrongJsonTypes(Random r)
    {
        const string placeholder = "\u0001PLACEHOLDER\u0001";
        // null a third of the time: it is the wrong type readers most often let through.
        var value = r.Next(3) == 0 ? "null" : JsonValues[r.Next(JsonValues.Length)];
        string json;
        if (_target.Format == InputFormat.Jsonl)
        {
            var lines = Lines();
            var line = r.Next(lines.Count - 1);
            var node = JsonNode.Parse(lines[line])!.AsObject();
            var names = node.Select(p => p.Key).ToList();
            node[names[r.Next(names.Count)]] = placeholder;
            lines[line] = node.ToJsonString(Relaxed);
            json = string.Join('\n', lines);
        }
        else
        {
            var root = JsonNode.Parse(_text, documentOptions: JsonComments)!;
            var nodes = new List<(JsonNode Parent, object Key)>();
            Collect(root, nodes);
            var (parent, key) = nodes[r.Next(nodes.Count)];
            if (key is string name)
            {
                parent[name] = placeholder;
            }
            else
            {
                parent[(int)key] = placeholder;
            }

            json = root.ToJsonString(Relaxed);
        }

        return Encode(json.Replace(JsonSerializer.Serialize(placeholder, Relaxed), value, StringComparison.Ordinal));
    }

    private static void Collect(JsonNode node, List<(JsonNode, object)> nodes)
    {
        if (node is JsonObject obj)
        {
            foreach (var (key, child) in obj.ToList())
            {
                nodes.Add((node, key));
                if (child is not null)
                {
                    Collect(child, nodes);
                }
            }
        }
        else if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                nodes.Add((node, i));
                if (array[i] is { } child)
                {
                    Collect(child, nodes);
                }
            }
        }
    }

    private byte[] DeepNesting(Random r)
    {
        var depth = r.Next(4) == 0 ? r.Next(60, 70) : r.Next(65, 200_000);
        var array = r.Next(2) == 0;
        var open = array ? "[" : "{\"a\":";
        var close = array ? "]" : "}";
        var deep = new StringBuilder(depth * (open.Length + close.Length));
        deep.Insert(0, open, depth).Append('1');
        if (r.Next(4) != 0)
        {
            deep.Insert(deep.Length, close, depth);
        }

        var text = deep.ToString();
        if (_target.Format == InputFormat.Jsonl)
        {
            var lines = Lines();
            var line = r.Next(lines.Count - 1);
            lines[line] = r.Next(3) switch
            {
                0 => text,
                1 => lines[line].Insert(1, "\"nested\":" + text + ","),
                _ => lines[line].Insert(1, "\"title\":" + text + ","),
            };
            return Encode(string.Join('\n', lines));
        }

        return Encode(r.Next(3) switch
        {
            0 => text,
            1 => _text.Insert(_text.IndexOf('{', StringComparison.Ordinal) + 1, "\"hardFilters\":" + text + ","),
            _ => _text.Insert(_text.IndexOf('{', StringComparison.Ordinal) + 1, "\"title\":" + text + ","),
        });
    }

    private byte[] JsonOddities(Random r)
    {
        string[] edits =
        [
            "/* 注释 */", "// 行注释\n", ",,", "'单引号'", "NaN", "Infinity", "\"\\ud800\"", "\"\\udfff\\ud800\"", "\"\\u0000\"", "\"\\x41\"",
            "\"\\", "}", "]", "{", "[", ":", "\"键\":", "undefined", "0x1F", "01", "1.", ".5", "+1", "tru", "nul", "\"\t\"", "\"\n\"",
        ];
        var text = _text;
        for (var k = r.Next(1, 4); k > 0; k--)
        {
            text = text.Insert(r.Next(text.Length + 1), edits[r.Next(edits.Length)]);
        }

        return Encode(text);
    }

    private byte[] TrecColumns(Random r)
    {
        string[] tokens = ["1.5", "高", "-0", "99999999999", "0", "-1", "NaN", "Infinity", "1e400", "0x10", "１２", "+3", "", "Q0", "1,5", "∞"];
        var lines = Lines();
        for (var k = r.Next(1, 4); k > 0; k--)
        {
            var line = r.Next(lines.Count);
            var columns = lines[line].Split(' ', '\t').ToList();
            switch (r.Next(3))
            {
                case 0 when columns.Count > 0:
                    columns[r.Next(columns.Count)] = tokens[r.Next(tokens.Length)];
                    break;
                case 1:
                    columns.Insert(r.Next(columns.Count + 1), tokens[r.Next(tokens.Length)]);
                    break;
                default:
                    if (columns.Count > 0)
                    {
                        columns.RemoveAt(r.Next(columns.Count));
                    }

                    break;
            }

            lines[line] = string.Join(r.Next(2) == 0 ? " " : "\t", columns);
        }

        return Encode(string.Join('\n', lines));
    }

    // ---------------------------------------------------------------- xlsx

    private IEnumerable<(string, Func<Random, byte[]>)> XlsxMutations()
    {
        var rows = _target.Rows!;
        var handmade = XlsxPackage.FromRows(rows);
        var sheetXml = Encoding.UTF8.GetBytes(XlsxPackage.Sheet(rows));
        var miniExcel = _target.Seed;
        var valid = new[] { handmade, miniExcel };

        yield return ("xlsx truncated", r =>
        {
            var bytes = valid[r.Next(valid.Length)];
            return bytes[..r.Next(bytes.Length)];
        });
        yield return ("xlsx byte damage", r =>
        {
            var bytes = valid[r.Next(valid.Length)].ToArray();
            for (var k = r.Next(1, 17); k > 0; k--)
            {
                bytes[r.Next(bytes.Length)] = (byte)r.Next(256);
            }

            return bytes;
        });
        yield return ("random bytes as xlsx", r =>
        {
            var bytes = new byte[r.Next(0, 4097)];
            r.NextBytes(bytes);
            if (bytes.Length >= 4 && r.Next(2) == 0)
            {
                "PK\u0003\u0004"u8.CopyTo(bytes);
            }

            return bytes;
        });
        yield return ("zip that is not xlsx", r => r.Next(6) switch
        {
            0 => XlsxPackage.Zip(new Dictionary<string, byte[]?>
            {
                ["[Content_Types].xml"] = null, ["_rels/.rels"] = null, ["xl/workbook.xml"] = null, ["xl/_rels/workbook.xml.rels"] = null,
                ["readme.txt"] = "这不是工作簿"u8.ToArray(),
            }),
            1 => XlsxPackage.Zip(new Dictionary<string, byte[]?> { ["xl/workbook.xml"] = null, ["xl/_rels/workbook.xml.rels"] = null }),
            2 => [0x50, 0x4B, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            3 => XlsxPackage.Zip(new Dictionary<string, byte[]?>
            {
                ["[Content_Types].xml"] = null, ["_rels/.rels"] = null, ["xl/workbook.xml"] = null, ["xl/_rels/workbook.xml.rels"] = null,
                ["word/document.xml"] = "<w:document/>"u8.ToArray(), ["nested.xlsx"] = handmade,
            }),
            4 => XlsxPackage.Zip(new Dictionary<string, byte[]?> { ["xl/workbook.xml"] = "hello"u8.ToArray() }),
            _ => XlsxPackage.Zip(new Dictionary<string, byte[]?> { ["xl/worksheets/sheet1.xml"] = null }),
        });
        yield return ("text file named .xlsx", r => r.Next(3) switch
        {
            0 => FuzzSeeds.Utf8(FuzzSeeds.Table(rows, ','), bom: true),
            1 => [],
            _ => Encoding.GetEncoding(936).GetBytes(FuzzSeeds.Table(rows, ',')),
        });
        yield return ("sheet XML damaged", r => XlsxPackage.FromSheetXml(DamageXml(r, sheetXml)));
        yield return ("table damaged", r => XlsxPackage.FromRows(DamageTable(r, rows)));
        yield return ("odd cell references", r => XlsxPackage.FromSheetXml(Encoding.UTF8.GetBytes(OddReferences(r, XlsxPackage.Sheet(rows)))));
        yield return ("broken package parts", r => BrokenParts(r, sheetXml));
        yield return ("odd cell types", r => XlsxPackage.FromSheetXml(Encoding.UTF8.GetBytes(OddCellTypes(r, XlsxPackage.Sheet(rows)))));
    }

    private static byte[] DamageXml(Random r, byte[] xml)
    {
        switch (r.Next(9))
        {
            case 0:
                return xml[..r.Next(xml.Length)];
            case 1:
                var at = Positions(xml, (b, i) => b[i] is >= 0x80 and <= 0xBF);
                return xml[..Pick(r, at, xml.Length)];
            case 2:
                return Insert(xml, r.Next(xml.Length), InvalidUtf8[r.Next(InvalidUtf8.Length)]);
            case 3:
                return Insert(xml, r.Next(xml.Length), Encoding.UTF8.GetBytes(ControlCharacters[r.Next(ControlCharacters.Length)]));
            case 4:
                return Insert(xml, r.Next(xml.Length), [0xEF, 0xBB, 0xBF]);
            case 5:
                return Encoding.GetEncoding(936).GetBytes(Encoding.UTF8.GetString(xml));
            case 6:
                string[] tokens = ["<", "&", "&bogus;", "]]>", "<c>", "</row>", "<!DOCTYPE x [<!ENTITY e \"x\">]>", "&#0;", "&#xD800;", "\"", "<row r=\"1\">"];
                return Insert(xml, r.Next(xml.Length), Encoding.UTF8.GetBytes(tokens[r.Next(tokens.Length)]));
            case 7:
                return Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(xml));
            default:
                var bytes = xml.ToArray();
                for (var k = r.Next(1, 9); k > 0; k--)
                {
                    bytes[r.Next(bytes.Length)] = (byte)r.Next(256);
                }

                return bytes;
        }
    }

    private static string[][] DamageTable(Random r, string[][] seedRows)
    {
        var rows = seedRows.Select(row => row.ToArray()).ToList();
        switch (r.Next(7))
        {
            case 0:
                rows.Insert(r.Next(1, rows.Count), rows[r.Next(1, rows.Count)].ToArray());
                break;
            case 1:
                rows[r.Next(1, rows.Count)][0] = "";
                break;
            case 2:
                rows.RemoveAt(0);
                break;
            case 3:
                rows.Insert(r.Next(rows.Count), rows[0].ToArray());
                break;
            case 4:
                rows[0] = [.. rows[0], rows[0][r.Next(rows[0].Length)]];
                break;
            case 5:
                var row = rows[r.Next(rows.Count)];
                row[r.Next(row.Length)] = string.Concat(Enumerable.Range(0, r.Next(1, 5)).Select(_ => ControlCharacters[r.Next(ControlCharacters.Length)]));
                break;
            default:
                return OddCellRows(r, [.. rows]);
        }

        return [.. rows];
    }

    private static string OddReferences(Random r, string sheet)
    {
        string[] references = ["ZZZZZZZZ1", "A0", "1A", "", "A-1", "a1", "XFD1", "XFE1", "A1048577", "A99999999999", "AAAAAAAAAAAAAA1", "€1", "A1:B2", "ZZZZZZ2"];
        string[] rowNumbers = ["0", "-1", "1048576", "99999999999", "", "x", "1"];
        switch (r.Next(4))
        {
            case 0:
                var cells = IndexesOf(sheet, "<c r=\"");
                var at = cells[r.Next(cells.Count)] + 6;
                var end = sheet.IndexOf('"', at);
                return sheet[..at] + references[r.Next(references.Length)] + sheet[end..];
            case 1:
                var rowTags = IndexesOf(sheet, "<row r=\"");
                at = rowTags[r.Next(rowTags.Count)] + 8;
                end = sheet.IndexOf('"', at);
                return sheet[..at] + rowNumbers[r.Next(rowNumbers.Length)] + sheet[end..];
            case 2:
                string[] dimensions = ["A1:XFD1048576", "A1:ZZZZZZZ9", "garbage", "", "A1"];
                return sheet.Replace("<sheetData>", $"<dimension ref=\"{dimensions[r.Next(dimensions.Length)]}\"/><sheetData>", StringComparison.Ordinal);
            default:
                // Cells without references, in reverse order, or a row that jumps far ahead.
                return r.Next(3) switch
                {
                    0 => System.Text.RegularExpressions.Regex.Replace(sheet, " r=\"[A-Z]+[0-9]+\"", ""),
                    1 => sheet.Replace("</sheetData>", "<row r=\"1048576\"><c r=\"A1048576\" t=\"inlineStr\"><is><t>D999</t></is></c></row></sheetData>", StringComparison.Ordinal),
                    _ => sheet.Replace("</sheetData>", "<row r=\"7\"><c r=\"XFD7\" t=\"inlineStr\"><is><t>远处的单元格</t></is></c></row></sheetData>", StringComparison.Ordinal),
                };
        }
    }

    private static byte[] BrokenParts(Random r, byte[] sheetXml)
    {
        var parts = new Dictionary<string, byte[]?> { [XlsxPackage.SheetPart] = sheetXml };
        switch (r.Next(9))
        {
            case 0: parts[XlsxPackage.SheetPart] = null; break;
            case 1: parts["xl/_rels/workbook.xml.rels"] = null; break;
            case 2:
                parts["xl/workbook.xml"] = """<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>"""u8.ToArray();
                break;
            case 3: parts["xl/workbook.xml"] = Encoding.UTF8.GetBytes(XlsxPackage.Workbook().Replace("rId1", "rId9", StringComparison.Ordinal)); break;
            case 4: parts["xl/workbook.xml"] = Encoding.UTF8.GetBytes(XlsxPackage.Workbook("")); break;
            case 5: parts["[Content_Types].xml"] = null; break;
            case 6: parts[XlsxPackage.SheetPart] = []; break;
            case 7:
                parts["xl/sharedStrings.xml"] = """<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>成果编号</t></si></sst>"""u8.ToArray();
                parts[XlsxPackage.SheetPart] = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(sheetXml)
                    .Replace("<c r=\"A1\" t=\"inlineStr\"><is><t xml:space=\"preserve\">成果编号</t></is></c>", "<c r=\"A1\" t=\"s\"><v>0</v></c>", StringComparison.Ordinal)
                    .Replace("<c r=\"A2\" t=\"inlineStr\">", $"<c r=\"A2\" t=\"s\"><v>{r.Next(1, 100_000)}</v></c><c r=\"Z2\" t=\"inlineStr\">", StringComparison.Ordinal));
                break;
            default:
                parts["xl/workbook.xml"] = Encoding.UTF8.GetBytes(XlsxPackage.Workbook("表<&>\"'"));
                break;
        }

        return XlsxPackage.Zip(parts);
    }

    private static string OddCellTypes(Random r, string sheet)
    {
        var cells = IndexesOf(sheet, " t=\"inlineStr\"><is><t xml:space=\"preserve\">");
        var at = cells[r.Next(cells.Count)];
        var close = sheet.IndexOf("</c>", at, StringComparison.Ordinal);
        string[] replacements =
        [
            " t=\"n\"><v>abc</v>", " t=\"n\"><v>1e400</v>", " t=\"n\"><v>NaN</v>", " t=\"b\"><v>2</v>", " t=\"d\"><v>garbage</v>", " t=\"e\"><v>#REF!</v>",
            " t=\"str\"><v>=1+1</v>", " t=\"s\"><v>-1</v>", " t=\"s\"><v>abc</v>", "><v>1001</v>", "><v>1001.0</v>", " t=\"n\"><v>-0</v>", " t=\"d\"><v>2024-05-01T00:00:00</v>",
            " t=\"bogus\"><v>x</v>", " t=\"inlineStr\"><is></is>", " t=\"inlineStr\"><is><r><t>富</t></r><r><t>文本</t></r></is>", "><f>SUM(A1:A2)</f><v>3</v>",
        ];
        return sheet[..at] + replacements[r.Next(replacements.Length)] + sheet[close..];
    }

    // ---------------------------------------------------------------- big inputs

    private byte[] TenMegabytes()
    {
        var big = s_tenMegabytes.Value;
        switch (_target.Format)
        {
            case InputFormat.Table:
            case InputFormat.Xlsx:
                var rows = TableRows();
                rows[1][2] = big;
                rows[2][0] = big[..1000];
                return _target.Format == InputFormat.Xlsx ? XlsxPackage.FromRows(rows) : Encode(FuzzSeeds.Table(rows, _target.Delimiter));
            case InputFormat.Jsonl:
                var lines = Lines();
                var node = JsonNode.Parse(lines[0])!.AsObject();
                node[_target.JsonKeys![2]] = big;
                lines[0] = node.ToJsonString(Relaxed);
                return Encode(string.Join('\n', lines));
            case InputFormat.Json:
                return Encode(_text.Replace("2026 长三角政产学研对接会", big, StringComparison.Ordinal));
            default:
                return Encode("D" + big + " 0 A1 1\n" + _text);
        }
    }

    private byte[] MillionEmptyColumns(bool appended)
    {
        var commas = s_millionCommas.Value;
        switch (_target.Format)
        {
            case InputFormat.Table:
                var empty = _target.Delimiter == ',' ? commas : commas.Replace(',', _target.Delimiter);
                if (!appended)
                {
                    return Encode(empty + "\n" + empty + "\n");
                }

                var lines = Lines();
                lines[0] += empty;
                lines[1] += empty;
                return Encode(string.Join('\n', lines));
            case InputFormat.Xlsx:
                var sheet = XlsxPackage.Sheet(_target.Rows!);
                var far = appended
                    ? "<c r=\"XFD1\" t=\"inlineStr\"><is><t></t></is></c></row>"
                    : "<c r=\"XFD1\"/></row>";
                var first = sheet.IndexOf("</row>", StringComparison.Ordinal);
                return XlsxPackage.FromSheetXml(Encoding.UTF8.GetBytes(sheet[..first] + far + sheet[(first + 6)..]));
            case InputFormat.Jsonl:
                lines = Lines();
                var array = "[" + string.Join(',', Enumerable.Repeat("\"\"", 1_000_000)) + "]";
                lines[0] = appended ? lines[0].Insert(1, "\"keywords_extra\":" + array + ",") : array;
                return Encode(string.Join('\n', lines));
            case InputFormat.Json:
                array = "[" + string.Join(',', Enumerable.Repeat("\"\"", 1_000_000)) + "]";
                return Encode(appended
                    ? _text.Replace("[\"发明专利\", \"实用新型\"]", array, StringComparison.Ordinal)
                    : "{\"filters\":{\"regions\":" + array + "}}");
            default:
                var tabs = new string('\t', 1_000_000);
                return Encode(appended ? "D001" + tabs + "0\tA001\t1\n" + _text : tabs + "\n" + string.Join(' ', Enumerable.Repeat("x", 1_000_000)) + "\n");
        }
    }

    // ---------------------------------------------------------------- helpers

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonDocumentOptions JsonComments = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Lines of the seed holding no data (the header of a table), which id mutations leave alone.</summary>
    private int HeaderLines => _target.Format == InputFormat.Table ? 1 : 0;

    private List<string> Lines() => [.. _text.Split('\n')];

    private string[][] TableRows() => [.. _target.Rows!.Select(row => row.ToArray())];

    private byte[] Encode(string text) => FuzzSeeds.Utf8(text, _bom);

    private byte[] InsertText(Random r, int count, Func<string> token)
    {
        var text = _text;
        for (var k = 0; k < count; k++)
        {
            text = text.Insert(r.Next(text.Length + 1), token());
        }

        return Encode(text);
    }

    private static List<int> Positions(byte[] bytes, Func<byte[], int, bool> predicate)
    {
        var positions = new List<int>();
        for (var i = 0; i < bytes.Length; i++)
        {
            if (predicate(bytes, i))
            {
                positions.Add(i);
            }
        }

        return positions;
    }

    private static List<int> QuotedPositions(byte[] bytes)
    {
        var positions = new List<int>();
        var quoted = false;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '"')
            {
                quoted = !quoted;
            }
            else if (quoted)
            {
                positions.Add(i);
            }
        }

        return positions;
    }

    private static List<int> IndexesOf(string text, string what)
    {
        var found = new List<int>();
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + 1, StringComparison.Ordinal))
        {
            found.Add(at);
        }

        return found;
    }

    private static int Pick(Random r, List<int> positions, int fallback) =>
        positions.Count == 0 ? r.Next(fallback + 1) : positions[r.Next(positions.Count)];

    private static byte[] Insert(byte[] bytes, int at, ReadOnlySpan<byte> what) => [.. bytes.AsSpan(0, at), .. what, .. bytes.AsSpan(at)];

    private static byte[] Overwrite(byte[] bytes, int at, ReadOnlySpan<byte> what)
    {
        var copy = bytes.ToArray();
        what[..Math.Min(what.Length, copy.Length - at)].CopyTo(copy.AsSpan(at));
        return copy;
    }
}
