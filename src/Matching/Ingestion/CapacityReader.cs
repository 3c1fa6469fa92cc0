using System.Collections.Frozen;
using System.Globalization;

namespace Matching.Ingestion;

/// <summary>Reads the organisations' capacities and unavailable slots from a CSV file (TSV when the name ends in
/// <c>.tsv</c>, the first worksheet of an <c>.xlsx</c> workbook).</summary>
/// <remarks>
/// <para>Header (matched like the record files' headers: ignoring case, spaces, <c>_</c>/<c>-</c> and full-width
/// forms): <c>organization,capacity,unavailable_slots</c>, or the Chinese 单位/机构, 容量/可参加场次, 不可用时段. The
/// unavailable-slots column is optional; other columns are ignored. Unavailable slots are 1-based numbers separated by
/// <c>;</c> <c>、</c> <c>,</c> or spaces (<c>2;5</c>, <c>2、5</c>), or empty. Encoding: UTF-8 with or without BOM, or
/// GB18030/GBK, detected. Names are trimmed and compared exactly, as the planner compares them.</para>
/// <para>Whether a slot exists (is ≤ the event's slot count) is checked by the agenda planner, which knows it.</para>
/// </remarks>
public static class CapacityReader
{
    private const string OrganizationField = "organization";
    private const string CapacityField = "capacity";
    private const string UnavailableField = "unavailable_slots";

    private static readonly (string Field, string[] Aliases)[] Columns =
    [
        (OrganizationField, ["organization", "organisation", "单位", "机构", "機構", "单位名称", "机构名称", "组织"]),
        (CapacityField, ["capacity", "容量", "可参加场次", "可參加場次", "场次", "最多场次"]),
        (UnavailableField, ["unavailable_slots", "unavailable", "不可用时段", "不可用時段", "不可用场次", "不可参加时段"]),
    ];

    private static readonly char[] SlotSeparators = [';', ',', '、', ' ', '\t', '\n', '\r'];

    /// <summary>Reads every organisation in the file, in file order.</summary>
    /// <exception cref="InputFormatException">The file is missing, undecodable, has no organisation or capacity
    /// column, or a row holds a bad number, a negative capacity, a duplicate organisation or a slot below 1.</exception>
    public static IReadOnlyList<OrganizationCapacity> Read(string path) => Read(path, organizations: null, slots: null);

    /// <summary>Reads every organisation in the file and checks each row against the event: the organisation must be
    /// one the inputs name (a misspelt name would otherwise be silently ignored), and every unavailable slot must exist.</summary>
    /// <param name="path">The capacity file.</param>
    /// <param name="organizations">Every organisation of the event's achievements and demands; null skips the check.</param>
    /// <param name="slots">The event's number of slots; null skips the check.</param>
    /// <exception cref="InputFormatException">As <see cref="Read(string)"/>, and for an unknown organisation (the message
    /// lists the closest known names) or a slot after the last one, naming file and line.</exception>
    public static IReadOnlyList<OrganizationCapacity> Read(string path, IReadOnlyCollection<string>? organizations, int? slots)
    {
        var result = new List<OrganizationCapacity>();
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (line, cells) in SideFileRows.Read(path, Columns, required: 2))
        {
            var organization = cells[0];
            if (organization.Length == 0)
            {
                throw new InputFormatException(path, line, OrganizationField, "empty", organization);
            }

            if (!firstLine.TryAdd(organization, line))
            {
                throw new InputFormatException(path, line, OrganizationField,
                    $"duplicate organisation (first seen at line {firstLine[organization]})", organization);
            }

            if (organizations is not null && !organizations.Contains(organization))
            {
                throw new InputFormatException(path, line, OrganizationField,
                    $"no achievement or demand of this event belongs to this organisation (closest: {string.Join("、", OrganizationNames.Closest(organization, organizations, 3))})",
                    organization);
            }

            var capacity = ParseCapacity(path, line, cells[1]);
            var unavailable = ParseSlots(path, line, cells[2]);
            if (slots is { } count && unavailable.Count > 0 && unavailable.Max() is var late && late > count)
            {
                throw new InputFormatException(path, line, UnavailableField,
                    string.Create(CultureInfo.InvariantCulture, $"slot {late} does not exist: the event has {count} slots"), cells[2]);
            }

            result.Add(new OrganizationCapacity(organization, capacity, unavailable));
        }

        return result;
    }

    private static int ParseCapacity(string path, int line, string cell)
    {
        var text = HeaderName.FormKC(cell);
        if (text.Length == 0)
        {
            throw new InputFormatException(path, line, CapacityField, "empty", cell);
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var capacity))
        {
            throw new InputFormatException(path, line, CapacityField, "not a whole number", cell);
        }

        return capacity >= 0 ? capacity : throw new InputFormatException(path, line, CapacityField, "negative capacity", cell);
    }

    private static FrozenSet<int> ParseSlots(string path, int line, string cell)
    {
        // NFKC turns full-width digits and ；，into their ASCII forms.
        var slots = new HashSet<int>();
        foreach (var token in HeaderName.FormKC(cell).Split(SlotSeparators, StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var slot))
            {
                throw new InputFormatException(path, line, UnavailableField, "not a whole number", token);
            }

            if (slot < 1)
            {
                throw new InputFormatException(path, line, UnavailableField, "slot must be 1 or more", token);
            }

            slots.Add(slot);
        }

        return slots.ToFrozenSet();
    }
}
