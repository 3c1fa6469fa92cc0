using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;

namespace Matching.Ingestion;

/// <summary>One row of a worksheet: its Excel row number and its cells as text, by column (A = 0), up to the last
/// non-empty one; <see cref="Cut"/> holds the columns whose text was longer than the field limit (the reader kept only
/// the start of it), null when none.</summary>
internal readonly record struct SheetRow(int Number, string[] Cells, HashSet<int>? Cut = null);

/// <summary>What a sheet of a workbook is, by its relationship type: only worksheets hold data.</summary>
internal enum SheetKind
{
    Worksheet,
    Chart,
    Dialog,
    Macro,
}

/// <summary>Reads the rows of an .xlsx workbook by streaming its sheet XML, one row at a time.</summary>
/// <remarks>
/// <para>Time and memory are linear in the file and bounded by the read limits: parts are inflated as they are read and
/// refused past the part size or compression ratio limit, a package with too many parts is refused before its directory
/// is loaded, a cell keeps at most the field limit of its text, a row holds only the cells it has, rows a sheet leaves out
/// are not materialised, and the declared dimension is ignored. (MiniExcel, which writes the reports, materialises every row
/// as wide as the sheet's widest cell and takes time quadratic in that width: one stray cell in column XFD made a
/// ten-row sheet take minutes.)</para>
/// <para>Cells read as people see them: shared, inline and formula strings (with Excel's <c>_xHHHH_</c> escapes
/// decoded), numbers in invariant culture (<c>1001</c>, not <c>1001.0</c>), numbers with a date or time format as
/// ISO dates, booleans as TRUE/FALSE, errors as written (<c>#N/A</c>).</para>
/// <para>Whatever is wrong with the package surfaces as <see cref="InvalidDataException"/> or <see cref="XmlException"/>
/// (the caller words them as one "not a valid .xlsx workbook" error), or as <see cref="InputFormatException"/> with the
/// Excel row number when one cell or row is wrong, or in the user's words for what people actually send: an encrypted
/// (password-protected) workbook, a binary .xls/.et workbook, a part with a DTD, a workbook of macros only.</para>
/// </remarks>
internal sealed partial class XlsxWorkbook : IDisposable
{
    public const int MaxRow = 1_048_576;
    public const int MaxColumn = 16_384;

    /// <summary>How much of a part's start is looked at for a DTD, so it can be reported in words rather than by the parser.</summary>
    private const int PrologBytes = 1 << 16;

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
    private readonly ReadOptions _options;
    private readonly ZipArchive _zip;
    private readonly Dictionary<string, ZipArchiveEntry> _entries = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(string Name, string? Part, SheetKind Kind)> _sheets = [];
    private readonly string? _sharedStringsPart;
    private readonly string? _stylesPart;
    private List<string>? _sharedStrings;
    private HashSet<int>? _cutSharedStrings;
    private bool[]? _dateStyles;

    private XlsxWorkbook(string path, ReadOptions options, ZipArchive zip)
    {
        _path = path;
        _options = options;
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
        var targets = new Dictionary<string, (string Type, string Target)>(StringComparer.Ordinal);
        foreach (var (id, type, target) in relationships)
        {
            targets.TryAdd(id, (type, target));
        }

        HasVbaProject = relationships.Exists(r => r.Type.EndsWith("/vbaProject", StringComparison.Ordinal))
            || _entries.ContainsKey(directory + "vbaProject.bin");

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
                (string Type, string Target)? target = id is not null && targets.TryGetValue(id, out var found) ? found : null;
                _sheets.Add((reader.GetAttribute("name") ?? "", target?.Target, target is { } t ? KindOf(t.Type) : SheetKind.Worksheet));
            }
        }
    }

    /// <summary>The sheets in workbook order, with what each is.</summary>
    public List<(string Name, SheetKind Kind)> Sheets => [.. _sheets.Select(s => (s.Name, s.Kind))];

    /// <summary>Whether the package holds a VBA project (macros).</summary>
    public bool HasVbaProject { get; }

    /// <summary>Opens the workbook; throws <see cref="InputFormatException"/> for an encrypted or binary workbook and for a
    /// package over a limit, <see cref="InvalidDataException"/> when the file is not a zip, the zip is damaged or it has
    /// no workbook part.</summary>
    public static XlsxWorkbook Open(string path, ReadOptions options)
    {
        using (var probe = TextEncodings.OpenRead(path))
        {
            Identify(path, probe, options);
        }

        var zip = ZipFile.OpenRead(path);
        try
        {
            if (zip.Entries.Count > options.MaxXlsxParts)
            {
                throw TooManyParts(path, options);
            }

            return new XlsxWorkbook(path, options, zip);
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    /// <summary>Refuses, in the user's words, binary workbooks, and packages with too many parts before the zip reader loads
    /// the package's directory. Other files that are not zip packages are left to the zip reader, which says why.</summary>
    private static void Identify(string path, FileStream file, ReadOptions options)
    {
        Span<byte> head = stackalloc byte[8];
        head = head[..file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)];
        if (CompoundFile.IsCompoundFile(head))
        {
            throw new InputFormatException(path, 0, null, CompoundFile.Identify(file) switch
            {
                CompoundFile.Kind.Encrypted =>
                    "the workbook is encrypted (password-protected), so it cannot be read; open it in Excel or WPS, remove the password " +
                    "(File > Info > Protect Workbook > Encrypt with Password, 文件 > 信息 > 保护工作簿 > 用密码进行加密) and save it again as .xlsx",
                CompoundFile.Kind.BinaryWorkbook =>
                    "the file is a binary Excel 97-2003 (.xls) or WPS (.et) workbook, not an .xlsx one; open it in Excel or WPS and save it " +
                    "as an Excel workbook (.xlsx)",
                _ => "the file is an OLE2 compound file (a binary Office 97-2003 document), not an .xlsx workbook; save it as an Excel workbook (.xlsx)",
            });
        }

        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (!head.StartsWith("PK"u8) && extension is ".xls" or ".et")
        {
            // Neither a binary workbook nor a zip: what the extension promised is not there.
            throw new InputFormatException(path, 0, null, $"unsupported file type '{extension}' (use .csv, .tsv, .jsonl or .xlsx)");
        }

        if (head.StartsWith("PK"u8) && ZipParts.Count(file, options.MaxXlsxParts) > options.MaxXlsxParts)
        {
            throw TooManyParts(path, options);
        }
    }

    private static InputFormatException TooManyParts(string path, ReadOptions options) =>
        new(path, 0, null, FieldLimit.Invariant(
            $"the workbook holds more than {options.MaxXlsxParts:N0} parts (files in its zip package), the part count limit (--max-xlsx-parts); a workbook has a dozen"));

    private static SheetKind KindOf(string relationshipType) =>
        relationshipType.EndsWith("/chartsheet", StringComparison.Ordinal) ? SheetKind.Chart
        : relationshipType.EndsWith("/dialogsheet", StringComparison.Ordinal) ? SheetKind.Dialog
        : relationshipType.EndsWith("Macrosheet", StringComparison.Ordinal) ? SheetKind.Macro
        : SheetKind.Worksheet;

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

            yield return Cells(reader, rowNumber);
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

    /// <summary>The cells of the row the reader is on (a non-empty <c>row</c> element), read up to its end tag.</summary>
    private SheetRow Cells(XmlReader reader, int rowNumber)
    {
        var cells = new List<string>();
        HashSet<int>? cut = null;
        var depth = reader.Depth;
        var column = -1;
        var last = -1;
        while (reader.Read() && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "c" || reader.Depth != depth + 1)
            {
                continue;
            }

            var reference = reader.GetAttribute("r");
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

            var (text, wasCut) = CellText(reader, reference ?? $"column {column + 1}", rowNumber);
            if (text.Length == 0)
            {
                continue;
            }

            while (cells.Count <= column)
            {
                cells.Add("");
            }

            // A later non-empty cell for the same column wins, as it did when the row was loaded whole.
            cells[column] = text;
            if (wasCut)
            {
                (cut ??= []).Add(column);
            }
            else
            {
                cut?.Remove(column);
            }

            last = Math.Max(last, column);
        }

        return last < 0 ? new SheetRow(rowNumber, []) : new SheetRow(rowNumber, [.. cells.Take(last + 1)], cut);
    }

    /// <summary>Reads the cell element the reader is on, up to its end tag: its text as people see it, and whether the
    /// text was longer than the field limit (then only its start is kept).</summary>
    private (string Text, bool Cut) CellText(XmlReader reader, string reference, int rowNumber)
    {
        var type = reader.GetAttribute("t");
        var style = reader.GetAttribute("s");
        BoundedText? v = null;
        BoundedText? inline = null;
        if (!reader.IsEmptyElement)
        {
            var depth = reader.Depth;
            while (reader.Read() && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
            {
                if (reader.NodeType != XmlNodeType.Element || reader.Depth != depth + 1)
                {
                    continue;
                }

                if (reader.LocalName == "v" && v is null)
                {
                    v = BoundedText.Read(reader, FieldChars, richText: false);
                }
                else if (reader.LocalName == "is" && inline is null)
                {
                    inline = BoundedText.Read(reader, FieldChars, richText: true);
                }
            }
        }

        var value = v?.Text;
        var cut = v?.Cut ?? false;
        switch (type)
        {
            case "s":
                var strings = SharedStrings();
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= strings.Count)
                {
                    throw new InputFormatException(_path, rowNumber, null,
                        $"cell {reference} refers to shared string '{value}', but the workbook has {strings.Count}");
                }

                return (strings[index], _cutSharedStrings?.Contains(index) == true);
            case "inlineStr":
                return inline is null ? (Unescape(value ?? ""), cut) : (Unescape(inline.Text), inline.Cut);
            case "str":
            case "e":
                return (Unescape(value ?? ""), cut);
            case "b":
                return (value switch { "1" => "TRUE", "0" => "FALSE", _ => value ?? "" }, cut);
            case "d":
                return (DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var date) ? XlsxRowSource.Text(date) : value ?? "", cut);
            case null or "n":
                if (string.IsNullOrEmpty(value) || !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
                {
                    return (value ?? "", cut);
                }

                // OLE automation dates run from 100-01-01 to 9999-12-31.
                return (IsDateStyle(style) && number is > -657435.0 and < 2958466.0 ? XlsxRowSource.Text(DateTime.FromOADate(number)) : XlsxRowSource.Text(number), cut);
            default:
                return (Unescape(value ?? ""), cut);
        }
    }

    /// <summary>The characters a cell keeps: one more than a field may have in bytes, so that a cut text is always over the
    /// limit (each character is at least a byte).</summary>
    private int FieldChars => _options.MaxFieldBytes == int.MaxValue ? int.MaxValue : _options.MaxFieldBytes + 1;

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
                    var item = BoundedText.Read(reader, FieldChars, richText: true);
                    if (item.Cut)
                    {
                        (_cutSharedStrings ??= []).Add(strings.Count);
                    }

                    strings.Add(Unescape(item.Text));
                }
            }
        }

        return _sharedStrings = strings;
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

    /// <summary>An XML reader over a part as it inflates, within the part limits; a part that declares a DTD is refused
    /// in words (the parser would refuse it too, but in its own).</summary>
    private XmlReader OpenPart(string part)
    {
        var entry = _entries[part];
        InflateLimitStream.CheckDeclared(_path, part, entry.Length, entry.CompressedLength, _options.MaxXlsxPartBytes, _options.MaxXlsxCompressionRatio);
        using (var prolog = Inflate(entry, part))
        {
            var head = new byte[PrologBytes];
            if (DeclaresDtd(head.AsSpan(0, prolog.ReadAtLeast(head, head.Length, throwOnEndOfStream: false))))
            {
                throw new InputFormatException(_path, 0, null,
                    $"the workbook contains a DTD (a <!DOCTYPE> declaration in part {part}), which is not allowed: .xlsx files never need one, " +
                    "and DTDs are how XML entity attacks (XXE, billion laughs) work; save the workbook again from Excel or WPS");
            }
        }

        return XmlReader.Create(Inflate(entry, part), s_xml);
    }

    private InflateLimitStream Inflate(ZipArchiveEntry entry, string part) =>
        new(entry.Open(), _path, part, entry.CompressedLength, _options.MaxXlsxPartBytes, _options.MaxXlsxCompressionRatio);

    /// <summary>Whether the XML prolog at the start of a part (after the declaration, comments and processing
    /// instructions) holds a document type declaration.</summary>
    internal static bool DeclaresDtd(ReadOnlySpan<byte> head)
    {
        var encoding = head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0x3C, 0x00]) ? Encoding.Unicode
            : head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) || head.StartsWith((ReadOnlySpan<byte>)[0x00, 0x3C]) ? Encoding.BigEndianUnicode
            : Encoding.UTF8;
        var text = encoding.GetString(head).AsSpan().TrimStart('\uFEFF');
        while (true)
        {
            text = text.TrimStart(" \t\r\n");
            if (text.StartsWith("<?", StringComparison.Ordinal))
            {
                var end = text.IndexOf("?>", StringComparison.Ordinal);
                if (end < 0)
                {
                    return false;
                }

                text = text[(end + 2)..];
            }
            else if (text.StartsWith("<!--", StringComparison.Ordinal))
            {
                var end = text.IndexOf("-->", StringComparison.Ordinal);
                if (end < 0)
                {
                    return false;
                }

                text = text[(end + 3)..];
            }
            else
            {
                return text.StartsWith("<!DOCTYPE", StringComparison.Ordinal);
            }
        }
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

/// <summary>The text of an element, read from an <see cref="XmlReader"/> without ever holding more than a cap of it.</summary>
internal sealed class BoundedText
{
    private BoundedText(string text, bool cut)
    {
        Text = text;
        Cut = cut;
    }

    /// <summary>The text, at most the cap long.</summary>
    public string Text { get; }

    /// <summary>Whether the element held more text than the cap.</summary>
    public bool Cut { get; }

    /// <summary>Reads the element the reader is on up to its end tag. With <paramref name="richText"/>, only the text of its
    /// <c>t</c> runs counts, not of the phonetic guide (<c>rPh</c>); otherwise all of its text does.</summary>
    public static BoundedText Read(XmlReader reader, int cap, bool richText)
    {
        if (reader.IsEmptyElement)
        {
            return new BoundedText("", false);
        }

        var text = new StringBuilder();
        var cut = false;
        char[]? chunk = null;
        var depth = reader.Depth;
        var runs = 0;
        var phonetic = 0;
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.EndElement when reader.Depth == depth:
                    return new BoundedText(text.ToString(), cut);
                case XmlNodeType.Element when !reader.IsEmptyElement:
                    runs += reader.LocalName == "t" ? 1 : 0;
                    phonetic += reader.LocalName == "rPh" ? 1 : 0;
                    break;
                case XmlNodeType.EndElement:
                    runs -= reader.LocalName == "t" ? 1 : 0;
                    phonetic -= reader.LocalName == "rPh" ? 1 : 0;
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace
                    when !richText || (runs > 0 && phonetic == 0):
                    cut |= Append(reader, text, cap, ref chunk);
                    break;
                default:
                    break;
            }
        }

        return new BoundedText(text.ToString(), cut);
    }

    /// <summary>Appends the current text node up to the cap, reading it in chunks; true when some of it did not fit.</summary>
    private static bool Append(XmlReader reader, StringBuilder text, int cap, ref char[]? chunk)
    {
        if (!reader.CanReadValueChunk)
        {
            var value = reader.Value;
            var room = cap - text.Length;
            text.Append(value.AsSpan(0, Math.Min(room, value.Length)));
            return value.Length > room;
        }

        chunk ??= new char[4096];
        int read;
        while ((read = reader.ReadValueChunk(chunk, 0, chunk.Length)) > 0)
        {
            var room = cap - text.Length;
            text.Append(chunk.AsSpan(0, Math.Min(room, read)));
            if (read > room)
            {
                // The rest of the node is skipped by the next Read, never held.
                return true;
            }
        }

        return false;
    }
}
