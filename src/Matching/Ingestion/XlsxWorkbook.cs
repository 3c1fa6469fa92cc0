using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace Matching.Ingestion;

/// <summary>One row of a worksheet: its Excel row number and its cells as text, by column (A = 0), up to the last
/// non-empty one.</summary>
internal readonly record struct SheetRow(int Number, string[] Cells);

/// <summary>Reads the rows of an .xlsx workbook by streaming its sheet XML, one row at a time.</summary>
/// <remarks>
/// <para>Time and memory are linear in the file: a row holds only the cells it has, rows a sheet leaves out are not
/// materialised, and the declared dimension is ignored. (MiniExcel, which writes the reports, materialises every row
/// as wide as the sheet's widest cell and takes time quadratic in that width: one stray cell in column XFD made a
/// ten-row sheet take minutes.)</para>
/// <para>Cells read as people see them: shared, inline and formula strings (with Excel's <c>_xHHHH_</c> escapes
/// decoded), numbers in invariant culture (<c>1001</c>, not <c>1001.0</c>), numbers with a date or time format as
/// ISO dates, booleans as TRUE/FALSE, errors as written (<c>#N/A</c>).</para>
/// <para>Whatever is wrong with the package surfaces as <see cref="InvalidDataException"/> or <see cref="XmlException"/>
/// (the caller words them as one "not a valid .xlsx workbook" error), or as <see cref="InputFormatException"/> with the
/// Excel row number when one cell or row is wrong.</para>
/// </remarks>
internal sealed partial class XlsxWorkbook : IDisposable
{
    public const int MaxRow = 1_048_576;
    public const int MaxColumn = 16_384;

    /// <summary>The largest uncompressed part read: far above any real sheet, far below what would exhaust memory.</summary>
    internal const long MaxPartBytes = 1L << 30;

    private const string RelationshipsNamespace = "http://schemas.openxmlformats.org/package/2006/relationships";

    private static readonly XmlReaderSettings s_xml = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = true,
    };

    private readonly string _path;
    private readonly ZipArchive _zip;
    private readonly Dictionary<string, ZipArchiveEntry> _entries = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(string Name, string? Part)> _sheets = [];
    private readonly string? _sharedStringsPart;
    private readonly string? _stylesPart;
    private List<string>? _sharedStrings;
    private bool[]? _dateStyles;

    private XlsxWorkbook(string path, ZipArchive zip)
    {
        _path = path;
        _zip = zip;
        foreach (var entry in zip.Entries)
        {
            _entries.TryAdd(entry.FullName.TrimStart('/'), entry);
        }

        var workbook = Relationships("_rels/.rels", "").FirstOrDefault(r => r.Type.EndsWith("/officeDocument", StringComparison.Ordinal)).Target
            ?? "xl/workbook.xml";
        if (!_entries.ContainsKey(workbook))
        {
            throw new InvalidDataException($"the package has no workbook part ({workbook})");
        }

        var directory = workbook.Contains('/', StringComparison.Ordinal) ? workbook[..(workbook.LastIndexOf('/') + 1)] : "";
        var relationships = Relationships($"{directory}_rels/{workbook[directory.Length..]}.rels", directory);
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (id, _, target) in relationships)
        {
            targets.TryAdd(id, target);
        }

        _sharedStringsPart = relationships.FirstOrDefault(r => r.Type.EndsWith("/sharedStrings", StringComparison.Ordinal)).Target
            ?? (_entries.ContainsKey(directory + "sharedStrings.xml") ? directory + "sharedStrings.xml" : null);
        _stylesPart = relationships.FirstOrDefault(r => r.Type.EndsWith("/styles", StringComparison.Ordinal)).Target
            ?? (_entries.ContainsKey(directory + "styles.xml") ? directory + "styles.xml" : null);

        using var reader = OpenPart(workbook);
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "sheet")
            {
                var id = RelationshipId(reader);
                _sheets.Add((reader.GetAttribute("name") ?? "", id is not null && targets.TryGetValue(id, out var part) ? part : null));
            }
        }
    }

    /// <summary>The sheet names in workbook order.</summary>
    public List<string> SheetNames => [.. _sheets.Select(s => s.Name)];

    /// <summary>Opens the workbook; throws <see cref="InvalidDataException"/> when it is not a zip or has no workbook part.</summary>
    public static XlsxWorkbook Open(string path)
    {
        var zip = ZipFile.OpenRead(path);
        try
        {
            return new XlsxWorkbook(path, zip);
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    /// <summary>Streams the rows of the sheet named <paramref name="sheetName"/>, in file order.</summary>
    public IEnumerable<SheetRow> Rows(string sheetName)
    {
        var part = _sheets.Find(s => s.Name == sheetName).Part
            ?? throw new InvalidDataException($"the workbook names a sheet '{sheetName}' but holds no part for it");
        if (!_entries.ContainsKey(part))
        {
            throw new InvalidDataException($"the sheet '{sheetName}' points to {part}, which the package does not hold");
        }

        using var reader = OpenPart(part);
        var rowNumber = 0;
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "row")
            {
                continue;
            }

            rowNumber = RowNumber(reader.GetAttribute("r"), rowNumber);
            if (reader.IsEmptyElement)
            {
                yield return new SheetRow(rowNumber, []);
                continue;
            }

            XElement row;
            using (var subtree = reader.ReadSubtree())
            {
                row = XElement.Load(subtree);
            }

            yield return new SheetRow(rowNumber, Cells(row, rowNumber));
        }
    }

    public void Dispose() => _zip.Dispose();

    /// <summary>The 0-based column of an A1-style reference (the row digits are the row's business), or -1 when
    /// <paramref name="reference"/> is not one.</summary>
    internal static int ColumnIndex(ReadOnlySpan<char> reference)
    {
        var index = 0;
        var letters = 0;
        while (letters < reference.Length && char.IsAsciiLetter(reference[letters]))
        {
            index = (index * 26) + (char.ToUpperInvariant(reference[letters]) - 'A' + 1);
            if (++letters > 3)
            {
                return -1;
            }
        }

        var digits = reference[letters..];
        return letters == 0 || digits.Length == 0 || digits.ContainsAnyExceptInRange('0', '9') ? -1 : index - 1;
    }

    private string[] Cells(XElement row, int rowNumber)
    {
        var filled = new List<(int Column, string Text)>();
        var column = -1;
        foreach (var cell in row.Elements())
        {
            if (cell.Name.LocalName != "c")
            {
                continue;
            }

            var reference = (string?)cell.Attribute("r");
            if (reference is null)
            {
                column++;
            }
            else
            {
                column = ColumnIndex(reference);
                if (column < 0)
                {
                    throw new InputFormatException(_path, rowNumber, null, "not a cell reference", reference);
                }
            }

            if (column >= MaxColumn)
            {
                throw new InputFormatException(_path, rowNumber, null, $"cell past column XFD, the last one a sheet has", reference);
            }

            var text = CellText(cell, reference ?? $"column {column + 1}", rowNumber);
            if (text.Length > 0)
            {
                filled.Add((column, text));
            }
        }

        if (filled.Count == 0)
        {
            return [];
        }

        var cells = new string[filled.Max(c => c.Column) + 1];
        Array.Fill(cells, "");
        foreach (var (index, text) in filled)
        {
            cells[index] = text;
        }

        return cells;
    }

    private string CellText(XElement cell, string reference, int rowNumber)
    {
        var type = (string?)cell.Attribute("t");
        var value = cell.Elements().FirstOrDefault(e => e.Name.LocalName == "v")?.Value;
        switch (type)
        {
            case "s":
                var strings = SharedStrings();
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= strings.Count)
                {
                    throw new InputFormatException(_path, rowNumber, null,
                        $"cell {reference} refers to shared string '{value}', but the workbook has {strings.Count}");
                }

                return strings[index];
            case "inlineStr":
                var inline = cell.Elements().FirstOrDefault(e => e.Name.LocalName == "is");
                return inline is null ? Unescape(value ?? "") : RichText(inline);
            case "str":
            case "e":
                return Unescape(value ?? "");
            case "b":
                return value switch { "1" => "TRUE", "0" => "FALSE", _ => value ?? "" };
            case "d":
                return DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var date) ? XlsxRowSource.Text(date) : value ?? "";
            case null or "n":
                if (string.IsNullOrEmpty(value) || !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
                {
                    return value ?? "";
                }

                // OLE automation dates run from 100-01-01 to 9999-12-31.
                return IsDateStyle((string?)cell.Attribute("s")) && number is > -657435.0 and < 2958466.0 ? XlsxRowSource.Text(DateTime.FromOADate(number)) : XlsxRowSource.Text(number);
            default:
                return Unescape(value ?? "");
        }
    }

    private List<string> SharedStrings()
    {
        if (_sharedStrings is not null)
        {
            return _sharedStrings;
        }

        var strings = new List<string>();
        if (_sharedStringsPart is not null && _entries.ContainsKey(_sharedStringsPart))
        {
            using var reader = OpenPart(_sharedStringsPart);
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "si")
                {
                    using var subtree = reader.ReadSubtree();
                    strings.Add(RichText(XElement.Load(subtree)));
                }
            }
        }

        return _sharedStrings = strings;
    }

    /// <summary>The text of a string item: its <c>t</c> runs, without the phonetic guide (<c>rPh</c>) runs.</summary>
    private static string RichText(XElement item)
    {
        var text = new StringBuilder();
        foreach (var t in item.Descendants())
        {
            if (t.Name.LocalName == "t" && t.Ancestors().All(a => a.Name.LocalName != "rPh"))
            {
                text.Append(t.Value);
            }
        }

        return Unescape(text.ToString());
    }

    private bool IsDateStyle(string? style)
    {
        if (style is null || !int.TryParse(style, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return false;
        }

        _dateStyles ??= ReadDateStyles();
        return index < _dateStyles.Length && _dateStyles[index];
    }

    /// <summary>For each cell format (<c>cellXfs/xf</c>): whether its number format shows a date or time.</summary>
    private bool[] ReadDateStyles()
    {
        if (_stylesPart is null || !_entries.ContainsKey(_stylesPart))
        {
            return [];
        }

        var custom = new Dictionary<int, string>();
        var formats = new List<int>();
        using var reader = OpenPart(_stylesPart);
        var inCellFormats = false;
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.EndElement && reader.LocalName == "cellXfs")
            {
                inCellFormats = false;
            }

            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            switch (reader.LocalName)
            {
                case "numFmt" when int.TryParse(reader.GetAttribute("numFmtId"), NumberStyles.None, CultureInfo.InvariantCulture, out var id):
                    custom[id] = reader.GetAttribute("formatCode") ?? "";
                    break;
                case "cellXfs":
                    inCellFormats = !reader.IsEmptyElement;
                    break;
                case "xf" when inCellFormats:
                    formats.Add(int.TryParse(reader.GetAttribute("numFmtId"), NumberStyles.None, CultureInfo.InvariantCulture, out var format) ? format : 0);
                    break;
                default:
                    break;
            }
        }

        return [.. formats.Select(id => custom.TryGetValue(id, out var code) ? IsDateFormat(code) : IsBuiltInDate(id))];
    }

    // 14–22 and 45–47 are the built-in date and time formats; 27–36 and 50–58 the East Asian ones (年月日).
    private static bool IsBuiltInDate(int id) => id is (>= 14 and <= 22) or (>= 27 and <= 36) or (>= 45 and <= 47) or (>= 50 and <= 58);

    /// <summary>Whether a custom number format shows a date or time: a y, m, d, h or s outside quoted text, escapes
    /// and bracketed colours or conditions (<c>[h]</c> elapsed hours count).</summary>
    internal static bool IsDateFormat(string code)
    {
        var section = code.Split(';')[0];
        for (var i = 0; i < section.Length; i++)
        {
            switch (section[i])
            {
                case '"':
                    i = section.IndexOf('"', i + 1) is var close and >= 0 ? close : section.Length;
                    break;
                case '\\' or '_' or '*':
                    i++;
                    break;
                case '[':
                    var end = section.IndexOf(']', i + 1);
                    var inside = end < 0 ? section[(i + 1)..] : section[(i + 1)..end];
                    if (inside.Length > 0 && inside.All(c => c is 'h' or 'H' or 'm' or 'M' or 's' or 'S'))
                    {
                        return true;
                    }

                    i = end < 0 ? section.Length : end;
                    break;
                case 'y' or 'Y' or 'm' or 'M' or 'd' or 'D' or 'h' or 'H' or 's' or 'S':
                    return true;
                default:
                    break;
            }
        }

        return false;
    }

    /// <summary>Decodes Excel's <c>_xHHHH_</c> escapes (<c>_x000D_</c> is a carriage return, <c>_x005F_</c> an underscore).</summary>
    internal static string Unescape(string text) =>
        text.Contains("_x", StringComparison.Ordinal)
            ? Escape().Replace(text, m => ((char)int.Parse(m.ValueSpan[2..6], NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString())
            : text;

    [GeneratedRegex("_x[0-9A-Fa-f]{4}_")]
    private static partial Regex Escape();

    private int RowNumber(string? attribute, int previous)
    {
        if (attribute is null)
        {
            return previous + 1;
        }

        if (!int.TryParse(attribute, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > MaxRow)
        {
            throw new InputFormatException(_path, previous + 1, null, $"row number is not between 1 and {MaxRow}", attribute);
        }

        return number;
    }

    private XmlReader OpenPart(string part)
    {
        var entry = _entries[part];
        if (entry.Length > MaxPartBytes)
        {
            throw new InputFormatException(_path, 0, null,
                $"not a valid .xlsx workbook: the part {part} is {entry.Length / (1 << 20)} MB uncompressed; Matching reads parts up to {MaxPartBytes >> 20} MB");
        }

        return XmlReader.Create(entry.Open(), s_xml);
    }

    /// <summary>The relationships of a part (an absent .rels file has none), targets resolved against <paramref name="directory"/>.</summary>
    private List<(string Id, string Type, string Target)> Relationships(string relsPart, string directory)
    {
        var relationships = new List<(string, string, string)>();
        if (!_entries.ContainsKey(relsPart))
        {
            return relationships;
        }

        using var reader = OpenPart(relsPart);
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Relationship"
                && reader.NamespaceURI is RelationshipsNamespace or "" && reader.GetAttribute("TargetMode") != "External")
            {
                var target = reader.GetAttribute("Target");
                if (target is not null)
                {
                    relationships.Add((reader.GetAttribute("Id") ?? "", reader.GetAttribute("Type") ?? "", Resolve(directory, target)));
                }
            }
        }

        return relationships;
    }

    private static string Resolve(string directory, string target)
    {
        var parts = new List<string>();
        var path = target.StartsWith('/') ? target : directory + target;
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
            }
            else if (segment != ".")
            {
                parts.Add(segment);
            }
        }

        return string.Join('/', parts);
    }

    private static string? RelationshipId(XmlReader reader)
    {
        for (var i = 0; i < reader.AttributeCount; i++)
        {
            reader.MoveToAttribute(i);
            if (reader.LocalName == "id" && reader.NamespaceURI.Length > 0)
            {
                var id = reader.Value;
                reader.MoveToElement();
                return id;
            }
        }

        reader.MoveToElement();
        return null;
    }
}
