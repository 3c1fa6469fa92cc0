using Matching.Aggregation;
using Matching.Ingestion;

namespace Matching.Reporting;

/// <summary>Who to call about one demand or achievement, as its input file gives it (columns such as 联系人, 联系电话,
/// 邮箱 or contact, phone, email; see <see cref="ContactColumns"/>).</summary>
/// <param name="Id">The record's id.</param>
/// <param name="Organization">Its organisation as the pairs and the agenda name it (a placeholder naming the record
/// when the file gives none).</param>
/// <param name="Person">The contact person, or empty.</param>
/// <param name="Phone">Phone numbers, or empty (several columns joined with " / ").</param>
/// <param name="Email">E-mail addresses, or empty.</param>
public sealed record RecordContact(string Id, string Organization, string Person, string Phone, string Email)
{
    /// <summary>Person, phone and e-mail on one line, separated by " · ", leaving out the empty ones.</summary>
    public override string ToString() => string.Join(" · ", new[] { Person, Phone, Email }.Where(s => s.Length > 0));
}

/// <summary>Finds the contact columns among a record's extra columns (those Matching does not read as a field).</summary>
/// <remarks>Headers are compared the way field headers are (case, spaces, _ and -, full-width forms and a trailing
/// * or （必填） ignored). Several columns of one kind (电话 and 手机) are joined with " / " in the order of the lists
/// below, so the result never depends on the column order of the file.</remarks>
internal static class ContactColumns
{
    /// <summary>Headers of the contact person, in order of preference.</summary>
    public static IReadOnlyList<string> Person { get; } =
    [
        "联系人", "联系人姓名", "聯繫人", "聯絡人", "对接人", "對接人", "负责人", "負責人", "项目负责人", "項目負責人", "成果负责人", "联络人",
        "contact", "contactperson", "contactname", "contacts",
    ];

    /// <summary>Headers of phone numbers, in order of preference.</summary>
    public static IReadOnlyList<string> Phone { get; } =
    [
        "联系电话", "聯繫電話", "聯絡電話", "电话", "電話", "手机", "手機", "手机号", "手机号码", "手機號碼", "联系手机", "办公电话", "联系方式", "聯絡方式",
        "phone", "tel", "telephone", "mobile", "phonenumber", "contactphone",
    ];

    /// <summary>Headers of e-mail addresses, in order of preference.</summary>
    public static IReadOnlyList<string> Email { get; } =
    [
        "邮箱", "郵箱", "电子邮箱", "電子郵箱", "电子邮件", "電子郵件", "電郵", "邮件", "联系邮箱", "聯絡郵箱",
        "email", "mail", "contactemail",
    ];

    private static readonly Dictionary<string, (int Kind, int Order)> s_headers = Build();

    private static Dictionary<string, (int, int)> Build()
    {
        var headers = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        foreach (var (list, kind) in new[] { (Person, 0), (Phone, 1), (Email, 2) })
        {
            for (var i = 0; i < list.Count; i++)
            {
                headers.TryAdd(HeaderName.Normalize(list[i]), (kind, i));
            }
        }

        return headers;
    }

    /// <summary>The contact in <paramref name="extra"/>, or null when it has none.</summary>
    public static RecordContact? Of(string id, string organization, IReadOnlyDictionary<string, string> extra)
    {
        if (extra.Count == 0)
        {
            return null;
        }

        var found = new List<(int Kind, int Order, string Header, string Value)>();
        foreach (var (header, value) in extra)
        {
            var text = value.Trim();
            if (text.Length > 0 && s_headers.TryGetValue(HeaderName.Normalize(header), out var slot))
            {
                found.Add((slot.Kind, slot.Order, header, text));
            }
        }

        if (found.Count == 0)
        {
            return null;
        }

        string Join(int kind) => string.Join(" / ", found.Where(f => f.Kind == kind)
            .OrderBy(f => f.Order).ThenBy(f => f.Header, StringComparer.Ordinal)
            .Select(f => f.Value).Distinct(StringComparer.Ordinal));
        return new RecordContact(id, organization, Join(0), Join(1), Join(2));
    }

    /// <summary>The contacts of <paramref name="demands"/>, in input order; those without one are left out.</summary>
    public static IReadOnlyList<RecordContact> OfDemands(IEnumerable<Demand> demands) =>
        [.. demands.Select(d => Of(d.Id, PairAggregator.OrganizationOf(d), d.Extra)).OfType<RecordContact>()];

    /// <summary>The contacts of <paramref name="achievements"/>, in input order; those without one are left out.</summary>
    public static IReadOnlyList<RecordContact> OfAchievements(IEnumerable<Achievement> achievements) =>
        [.. achievements.Select(a => Of(a.Id, PairAggregator.OrganizationOf(a), a.Extra)).OfType<RecordContact>()];
}
