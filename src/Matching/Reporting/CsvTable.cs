using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Matching.Reporting;

/// <summary>The one way Matching writes a table as CSV or a cell of a workbook: invariant culture, <c>\n</c> line
/// ends, scores with 6 decimals, and a text cell starting with = + - @ (or a tab or carriage return) that is not a
/// number prefixed with an apostrophe so a spreadsheet does not run it as a formula.</summary>
internal static class CsvTable
{
    /// <summary>Writes a header and rows; the writer stays open.</summary>
    public static void Write(TextWriter writer, string[] header, IEnumerable<string[]> rows)
    {
        using var csv = new CsvWriter(writer, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\n" }, leaveOpen: true);
        foreach (var name in header)
        {
            csv.WriteField(name);
        }

        csv.NextRecord();
        foreach (var row in rows)
        {
            foreach (var cell in row)
            {
                csv.WriteField(SpreadsheetSafe(cell));
            }

            csv.NextRecord();
        }

        csv.Flush();
    }

    /// <summary>A score as every table writes it (6 decimals).</summary>
    public static string Score(double score) => score.ToString("0.000000", CultureInfo.InvariantCulture);

    /// <summary>An integer in the invariant culture.</summary>
    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A text cell starting with = + - @ is a formula to Excel: prefix it with an apostrophe.
    /// Plain numbers (a negative score) are left alone.</summary>
    public static string SpreadsheetSafe(string cell) =>
        cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r'
            && !double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            ? "'" + cell
            : cell;
}
