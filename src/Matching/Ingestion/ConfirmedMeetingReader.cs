using System.Globalization;

namespace Matching.Ingestion;

/// <summary>Reads confirmed meetings to keep fixed when the agenda is planned again (<c>agenda --keep</c>).</summary>
/// <remarks>
/// <para>Columns: <c>slot</c> (时段), <c>table</c> (桌号), <c>university</c> (高校), <c>enterprise</c> (企业); other
/// columns (such as the score and p_accept of <c>agenda_by_slot.csv</c>, which is accepted as it is) are ignored. CSV,
/// TSV or XLSX.</para>
/// <para>Every row is checked against the event: known organisations (the message lists the closest names), slot and
/// table in range, no table used twice in a slot, no organisation in two meetings of a slot or in a slot it is
/// unavailable in, no pair twice, and no organisation over its capacity; each error names file, line and field.</para>
/// </remarks>
public static class ConfirmedMeetingReader
{
    private static readonly (string Field, string[] Aliases)[] Columns =
    [
        ("slot", ["slot", "时段", "场次", "轮次"]),
        ("table", ["table", "桌号", "桌"]),
        ("university", ["university", "高校", "大学", "成果单位"]),
        ("enterprise", ["enterprise", "企业", "需求单位"]),
    ];

    /// <summary>Reads and checks the confirmed meetings.</summary>
    /// <param name="path">The file.</param>
    /// <param name="organizations">Every organisation the event knows.</param>
    /// <param name="slots">The event's slots.</param>
    /// <param name="tables">The event's tables.</param>
    /// <param name="capacities">Listed capacities and unavailable slots.</param>
    /// <param name="defaultCapacity">The capacity of an organisation not listed.</param>
    /// <exception cref="InputFormatException">Any problem listed in the remarks.</exception>
    public static IReadOnlyList<ConfirmedMeeting> Read(
        string path, IReadOnlySet<string> organizations, int slots, int tables, IReadOnlyList<OrganizationCapacity> capacities, int defaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(organizations);
        ArgumentNullException.ThrowIfNull(capacities);
        var listed = capacities.ToDictionary(c => c.Organization, StringComparer.Ordinal);
        var seats = new Dictionary<(int, int), int>();
        var busy = new Dictionary<(string, int), int>();
        var pairs = new Dictionary<(string, string), int>();
        var count = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<ConfirmedMeeting>();
        foreach (var (line, values) in SideFileRows.Read(path, Columns, required: 4))
        {
            var slot = Number(path, line, "slot", values[0], slots);
            var table = Number(path, line, "table", values[1], tables);
            var (university, enterprise) = (values[2], values[3]);
            foreach (var (field, name) in new[] { ("university", university), ("enterprise", enterprise) })
            {
                if (name.Length == 0)
                {
                    throw new InputFormatException(path, line, field, "empty");
                }

                if (!organizations.Contains(name))
                {
                    throw new InputFormatException(path, line, field,
                        $"no organisation of this event has this name (closest: {string.Join("、", OrganizationNames.Closest(name, organizations, 3))})", name);
                }
            }

            if (university == enterprise)
            {
                throw new InputFormatException(path, line, "enterprise", "an organisation cannot meet itself", enterprise);
            }

            if (!seats.TryAdd((slot, table), line))
            {
                throw new InputFormatException(path, line, "table",
                    Invariant($"table {table} of slot {slot} is already taken at line {seats[(slot, table)]}"), values[1]);
            }

            var key = string.CompareOrdinal(university, enterprise) <= 0 ? (university, enterprise) : (enterprise, university);
            if (!pairs.TryAdd(key, line))
            {
                throw new InputFormatException(path, line, "enterprise", Invariant($"the pair already meets at line {pairs[key]}"), enterprise);
            }

            foreach (var (field, name) in new[] { ("university", university), ("enterprise", enterprise) })
            {
                if (!busy.TryAdd((name, slot), line))
                {
                    throw new InputFormatException(path, line, field, Invariant($"{name} already has a meeting in slot {slot} (line {busy[(name, slot)]})"), name);
                }

                var entry = listed.GetValueOrDefault(name);
                if (entry is not null && entry.UnavailableSlots.Contains(slot))
                {
                    throw new InputFormatException(path, line, field, Invariant($"{name} is unavailable in slot {slot} (capacity file)"), name);
                }

                var capacity = entry?.Capacity ?? defaultCapacity;
                count[name] = count.GetValueOrDefault(name) + 1;
                if (count[name] > capacity)
                {
                    throw new InputFormatException(path, line, field, Invariant($"{name} would have {count[name]} meetings, over its capacity {capacity}"), name);
                }
            }

            result.Add(new ConfirmedMeeting(slot, table, university, enterprise));
        }

        return result;
    }

    private static int Number(string path, int line, string field, string cell, int max)
    {
        var text = HeaderName.FormKC(cell);
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new InputFormatException(path, line, field, text.Length == 0 ? "empty" : "not a whole number", cell);
        }

        return value >= 1 && value <= max ? value : throw new InputFormatException(path, line, field, Invariant($"must be within 1..{max}"), cell);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
