using System.CommandLine;
using Matching.Ingestion;

namespace Matching.Cli.Hosting;

/// <summary>The read options every verb that reads achievements and demands shares: encoding, sheet, bad-row policy, and
/// the limits that bound what one input file may cost (README, "Limits").</summary>
internal sealed class InputLimitOptions
{
    private static readonly Matching.Ingestion.ReadOptions s_defaults = Matching.Ingestion.ReadOptions.Default;

    public Option<int> MaxFieldBytes { get; } = CommonOptions.PositiveInt("--max-field-bytes", s_defaults.MaxFieldBytes,
        "Largest field (cell, JSON string), in bytes of UTF-8; a longer one is a bad row unless --truncate-long-fields. Default 1 MiB.");

    public Option<bool> TruncateLongFields { get; } = new("--truncate-long-fields")
    {
        Description = "Cut fields longer than --max-field-bytes to that length, with a warning naming file, line and field, instead of refusing the row.",
    };

    public Option<int> MaxLineLength { get; } = CommonOptions.PositiveInt("--max-line-length", s_defaults.MaxLineLength,
        "Longest line of a CSV, TSV or JSONL file, in characters; a longer one is a bad row. Default 8 Mi.");

    public Option<int> MaxColumns { get; } = CommonOptions.PositiveInt("--max-columns", s_defaults.MaxColumns,
        "Most cells in a row (keys in a JSON object). Default 16384, an Excel sheet's.");

    public Option<int> MaxRecords { get; } = CommonOptions.PositiveInt("--max-records", s_defaults.MaxRecords,
        "Most data rows in one input file. Default 10000000.");

    public Option<int> MaxJsonDepth { get; } = CommonOptions.PositiveInt("--max-json-depth", s_defaults.MaxJsonDepth,
        "Deepest nesting of arrays and objects in a JSONL line. Default 64.");

    public Option<long> MaxXlsxPartBytes { get; } = PositiveLong("--max-xlsx-part-bytes", s_defaults.MaxXlsxPartBytes,
        "Most bytes one part of an .xlsx package may inflate to. Default 1 GiB.");

    public Option<int> MaxXlsxRatio { get; } = CommonOptions.PositiveInt("--max-xlsx-ratio", s_defaults.MaxXlsxCompressionRatio,
        "Most times a part of an .xlsx package may inflate over its compressed size (zip bombs: ~1000). Default 100.");

    public Option<int> MaxXlsxParts { get; } = CommonOptions.PositiveInt("--max-xlsx-parts", s_defaults.MaxXlsxParts,
        "Most parts (files) in an .xlsx package. Default 10000.");

    public Option<string[]> Columns { get; } = new("--columns")
    {
        Description = "Name the columns no header alias knows: field=header,field=header (fields: " + string.Join(", ", ColumnFields)
            + "; prefix achievements. or demands. for one file). Wins over the aliases.",
        HelpName = "FIELD=HEADER,…",
    };

    private static readonly string[] ColumnFields =
        ["id", "title", "abstract", "description", "keywords", "organization", "field", "industry", "region", "maturity", "requiredMaturity", "ipType", "budget"];

    public InputLimitOptions()
    {
        // Checked with the other options, so a misspelt field fails before any input is read.
        Columns.Validators.Add(result =>
        {
            try
            {
                ParseColumns(result.GetValueOrDefault<string[]>());
            }
            catch (UsageException e)
            {
                result.AddError(e.Message);
            }
        });
    }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Columns, MaxFieldBytes, TruncateLongFields, MaxLineLength, MaxColumns, MaxRecords, MaxJsonDepth, MaxXlsxPartBytes, MaxXlsxRatio, MaxXlsxParts })
        {
            command.Add(option);
        }
    }

    /// <summary>The read options of this command line.</summary>
    public Matching.Ingestion.ReadOptions ReadOptions(ParseResult parse, string? encoding, string? sheet, string onBadRow)
    {
        var basic = CommandHost.ReadOptions(encoding, sheet, onBadRow);
        return new Matching.Ingestion.ReadOptions
        {
            Encoding = basic.Encoding,
            Sheet = basic.Sheet,
            OnBadRow = basic.OnBadRow,
            MaxFieldBytes = parse.GetValue(MaxFieldBytes),
            TruncateLongFields = parse.GetValue(TruncateLongFields),
            MaxLineLength = parse.GetValue(MaxLineLength),
            MaxColumns = parse.GetValue(MaxColumns),
            MaxRecords = parse.GetValue(MaxRecords),
            MaxJsonDepth = parse.GetValue(MaxJsonDepth),
            MaxXlsxPartBytes = parse.GetValue(MaxXlsxPartBytes),
            MaxXlsxCompressionRatio = parse.GetValue(MaxXlsxRatio),
            MaxXlsxParts = parse.GetValue(MaxXlsxParts),
            Columns = ParseColumns(parse.GetValue(Columns)),
        };
    }

    /// <summary>The <c>--columns</c> entries (each value a comma-separated list of field=header, the option may be repeated):
    /// field names (any case, optionally prefixed <c>achievements.</c> or <c>demands.</c>) are checked here, so a typo is a
    /// usage error before any file is read; whether a header is in a file, the reader checks.</summary>
    public static IReadOnlyDictionary<string, string>? ParseColumns(IEnumerable<string>? values)
    {
        if (values is null)
        {
            return null;
        }

        var columns = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in values.SelectMany(v => v.Split([',', '，'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == entry.Length - 1)
            {
                throw new UsageException($"--columns: expected field=header, not '{entry}' (e.g. --columns title=项目名称,abstract=项目介绍)");
            }

            var field = entry[..equals].Trim();
            var dot = field.IndexOf('.', StringComparison.Ordinal);
            var prefix = dot < 0 ? null : field[..dot].Trim().ToLowerInvariant();
            var name = dot < 0 ? field : field[(dot + 1)..];
            if (!ColumnFields.Contains(name, StringComparer.OrdinalIgnoreCase) || prefix is not (null or "achievements" or "demands"))
            {
                throw new UsageException(
                    $"--columns: unknown field '{field}' (fields: {string.Join(", ", ColumnFields)}; prefix achievements. or demands. for one file)");
            }

            if (!columns.TryAdd(field, entry[(equals + 1)..].Trim()))
            {
                throw new UsageException($"--columns: '{field}' is given twice");
            }
        }

        return columns.Count == 0 ? null : columns;
    }

    private static Option<long> PositiveLong(string name, long defaultValue, string description)
    {
        var option = new Option<long>(name) { Description = description, DefaultValueFactory = _ => defaultValue, HelpName = "N" };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<long>() < 1)
            {
                result.AddError($"{name} must be at least 1");
            }
        });
        return option;
    }
}
