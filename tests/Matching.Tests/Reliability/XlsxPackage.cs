using System.IO.Compression;
using System.Security;
using System.Text;

namespace Matching.Tests.Reliability;

/// <summary>Builds small .xlsx packages by hand (inline-string cells), so the fuzzer can damage one part — the sheet
/// XML, a relationship, the zip itself — while everything else stays valid.</summary>
internal static class XlsxPackage
{
    public const string SheetPart = "xl/worksheets/sheet1.xml";

    private const string ContentTypes =
        """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>""";

    private const string PackageRelationships =
        """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""";

    private const string WorkbookRelationships =
        """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>""";

    public static string Workbook(string sheetName = "成果清单") =>
        $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{SecurityElement.Escape(sheetName)}" sheetId="1" r:id="rId1"/></sheets></workbook>""";

    /// <summary>The sheet XML of <paramref name="rows"/>: row 1 is the header; characters XML cannot hold are written
    /// as the _xHHHH_ escapes Excel uses, so the table's content, not the XML, is what varies.</summary>
    public static string Sheet(IReadOnlyList<string[]> rows)
    {
        var xml = new StringBuilder("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>""");
        for (var r = 0; r < rows.Count; r++)
        {
            xml.Append("<row r=\"").Append(r + 1).Append("\">");
            for (var c = 0; c < rows[r].Length; c++)
            {
                if (rows[r][c].Length == 0)
                {
                    continue;
                }

                xml.Append("<c r=\"").Append(ColumnName(c)).Append(r + 1).Append("\" t=\"inlineStr\"><is><t xml:space=\"preserve\">")
                    .Append(XmlText(rows[r][c])).Append("</t></is></c>");
            }

            xml.Append("</row>");
        }

        return xml.Append("</sheetData></worksheet>").ToString();
    }

    /// <summary>A package whose parts are given as bytes; missing standard parts are added unless listed as null.</summary>
    public static byte[] Zip(IReadOnlyDictionary<string, byte[]?> parts)
    {
        var all = new Dictionary<string, byte[]?>(StringComparer.Ordinal)
        {
            ["[Content_Types].xml"] = Encoding.UTF8.GetBytes(ContentTypes),
            ["_rels/.rels"] = Encoding.UTF8.GetBytes(PackageRelationships),
            ["xl/workbook.xml"] = Encoding.UTF8.GetBytes(Workbook()),
            ["xl/_rels/workbook.xml.rels"] = Encoding.UTF8.GetBytes(WorkbookRelationships),
        };
        foreach (var (name, bytes) in parts)
        {
            all[name] = bytes;
        }

        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in all)
            {
                if (bytes is null)
                {
                    continue;
                }

                var entry = zip.CreateEntry(name, CompressionLevel.Fastest);
                entry.LastWriteTime = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
                using var stream = entry.Open();
                stream.Write(bytes);
            }
        }

        return buffer.ToArray();
    }

    public static byte[] FromSheetXml(byte[] sheetXml) => Zip(new Dictionary<string, byte[]?> { [SheetPart] = sheetXml });

    public static byte[] FromRows(IReadOnlyList<string[]> rows) => FromSheetXml(Encoding.UTF8.GetBytes(Sheet(rows)));

    public static string ColumnName(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }

    private static string XmlText(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            switch (c)
            {
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                case '&': builder.Append("&amp;"); break;
                case '\t' or '\n' or '\r': builder.Append(c); break;
                case < ' ' or '\uFFFE' or '\uFFFF': builder.Append($"_x{(int)c:X4}_"); break;
                default: builder.Append(c); break;
            }
        }

        return builder.ToString();
    }
}
