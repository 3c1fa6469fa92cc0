using System.Text.Json;

namespace Matching.Ingestion;

/// <summary>Streams the records of a JSON Lines file: one JSON object per line, blank lines ignored.</summary>
internal static class JsonlRowSource
{
    public static IEnumerable<RawRecord> Read<T>(string path, ReadOptions options, RecordSchema<T> schema)
    {
        var choice = TextEncodings.Choose(path, options.Encoding);
        if (choice.Invalid is { } invalid)
        {
            throw new InputFormatException(path, invalid.Line, FieldAtLine(path, choice, invalid.Line, schema, options), invalid.Problem);
        }

        using var reader = new BoundedLineReader(TextEncodings.OpenReader(path, choice), options.MaxLineLength);
        var line = 0;
        var any = false;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (reader.LastLineTooLong)
            {
                any = true;
                yield return RawRecord.Failed(new InputFormatException(path, line, null, FieldLimit.Invariant(
                    $"a line longer than {options.MaxLineLength:N0} characters, the line limit (--max-line-length)")));
                continue;
            }

            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            any = true;
            yield return Parse(path, line, text, schema, options);
        }

        if (!any)
        {
            throw new InputFormatException(path, 0, null, "empty file: no records");
        }
    }

    private static RawRecord Parse<T>(string path, int line, string text, RecordSchema<T> schema, ReadOptions options)
    {
        if (NestsDeeperThan(text, options.MaxJsonDepth))
        {
            return RawRecord.Failed(new InputFormatException(path, line, null, FieldLimit.Invariant(
                $"JSON nested deeper than {options.MaxJsonDepth:N0} levels, the depth limit (--max-json-depth); a record needs 2")));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = options.MaxJsonDepth });
        }
        catch (JsonException e)
        {
            return RawRecord.Failed(new InputFormatException(path, line, null, $"invalid JSON: {e.Message}", inner: e));
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return RawRecord.Failed(new InputFormatException(path, line, null,
                    $"expected a JSON object, found {Describe(root.ValueKind)}", root.GetRawText()));
            }

            var key = (string?)null;
            try
            {
                return Fields(path, line, root, schema, options, ref key);
            }
            catch (InvalidOperationException e)
            {
                // System.Text.Json parses an escaped lone surrogate ("\ud800") but refuses to make a string of it.
                var field = key is null ? null : schema.FindField(key) is var index and >= 0 ? schema.Fields[index].Name : key;
                return RawRecord.Failed(new InputFormatException(path, line, field,
                    $"invalid JSON string: {(key is null ? "a key" : "the value")} holds a \\u escape of a lone UTF-16 surrogate", inner: e));
            }
        }
    }

    /// <summary>Maps the object's keys to fields; <paramref name="key"/> tracks the key being read, for errors.</summary>
    private static RawRecord Fields<T>(string path, int line, JsonElement root, RecordSchema<T> schema, ReadOptions options, ref string? key)
    {
        var record = new RawRecord(line, schema.Fields.Count);
        var keyOfField = new string?[schema.Fields.Count];
        var keys = 0;
        foreach (var property in root.EnumerateObject())
        {
            if (++keys > options.MaxColumns)
            {
                return RawRecord.Failed(new InputFormatException(path, line, null, FieldLimit.Invariant(
                    $"the object has more than {options.MaxColumns:N0} keys, the column limit (--max-columns)")));
            }

            key = null; // while the name itself is read: it may be the bad string
            key = property.Name;
            var field = schema.FindField(property.Name);
            if (field < 0)
            {
                record.Extra ??= new Dictionary<string, string>(StringComparer.Ordinal);
                var extra = FieldLimit.Apply(path, line, property.Name, ExtraText(property.Value), wasCut: false, options, record, out var tooLong);
                if (tooLong is not null)
                {
                    return RawRecord.Failed(tooLong);
                }

                if (!record.Extra.TryAdd(property.Name, extra!))
                {
                    return RawRecord.Failed(new InputFormatException(path, line, property.Name, "key given twice"));
                }

                continue;
            }

            var name = schema.Fields[field].Name;
            if (keyOfField[field] is { } earlier)
            {
                return RawRecord.Failed(new InputFormatException(path, line, name,
                    $"given twice (keys '{earlier}' and '{property.Name}')"));
            }

            keyOfField[field] = property.Name;
            var problem = field == RecordSchema<T>.KeywordList
                ? ReadKeywords(property.Value, record)
                : ReadText(property.Value, out record.Values[field]);
            if (problem is not null)
            {
                return RawRecord.Failed(new InputFormatException(path, line, name, problem, Shortened(property.Value)));
            }

            var tooLongField = field == RecordSchema<T>.KeywordList
                ? LimitKeywords(path, line, name, record, options)
                : LimitText(path, line, name, ref record.Values[field], record, options);
            if (tooLongField is not null)
            {
                return RawRecord.Failed(tooLongField);
            }
        }

        return record;
    }

    private static InputFormatException? LimitText(string path, int line, string name, ref string value, RawRecord record, ReadOptions options)
    {
        value = FieldLimit.Apply(path, line, name, value, wasCut: false, options, record, out var tooLong) ?? "";
        return tooLong;
    }

    /// <summary>The keywords count as one field, as one cell holds them in a table: their total length is limited,
    /// and under truncation the ones past the limit are dropped (the last one kept may be cut).</summary>
    private static InputFormatException? LimitKeywords(string path, int line, string name, RawRecord record, ReadOptions options)
    {
        var joined = string.Join("；", record.Keywords);
        var kept = FieldLimit.Apply(path, line, name, joined, wasCut: false, options, record, out var tooLong);
        if (tooLong is null && !ReferenceEquals(kept, joined))
        {
            record.Keywords = Keywords.Split(kept!);
        }

        return tooLong;
    }

    /// <summary>The raw JSON of a value for a message, without copying more than a message shows of a long one.</summary>
    private static string Shortened(JsonElement value)
    {
        var raw = value.GetRawText();
        return raw.Length <= 200 ? raw : raw[..200];
    }

    /// <summary>Whether arrays and objects nest deeper than <paramref name="maxDepth"/> anywhere in <paramref name="text"/>,
    /// found without parsing it, so that the message is ours rather than the parser's.</summary>
    internal static bool NestsDeeperThan(string text, int maxDepth)
    {
        var depth = 0;
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    break;
                case '[' or '{':
                    if (++depth > maxDepth)
                    {
                        return true;
                    }

                    break;
                case ']' or '}':
                    depth--;
                    break;
                default:
                    break;
            }
        }

        return false;
    }

    /// <summary>A scalar text field: a string, or a number as written (ids are often numbers).</summary>
    private static string? ReadText(JsonElement value, out string text)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                text = value.GetString()!.Trim();
                return null;
            case JsonValueKind.Number:
                text = value.GetRawText();
                return null;
            case JsonValueKind.Null:
                text = "";
                return null;
            default:
                text = "";
                return $"expected a string, found {Describe(value.ValueKind)}";
        }
    }

    private static string? ReadKeywords(JsonElement value, RawRecord record)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                record.Keywords = Keywords.Split(value.GetString()!);
                return null;
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.Array:
                var keywords = new List<string>();
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        return $"expected a string or an array of strings, found an array holding {Describe(item.ValueKind)}";
                    }

                    keywords.Add(item.GetString()!);
                }

                record.Keywords = Keywords.Distinct(keywords);
                return null;
            default:
                return $"expected a string or an array of strings, found {Describe(value.ValueKind)}";
        }
    }

    private static string ExtraText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Null => "",
        _ => value.GetRawText(),
    };

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };

    /// <summary>Finds the key whose value holds the undecodable bytes on <paramref name="line"/>, reading that line
    /// again with replacement characters; null when it cannot be placed.</summary>
    private static string? FieldAtLine<T>(string path, TextEncodingChoice choice, int line, RecordSchema<T> schema, ReadOptions options)
    {
        using var reader = new BoundedLineReader(TextEncodings.OpenReader(path, choice, choice.Lenient), options.MaxLineLength);
        string? text = null;
        for (var current = 1; current <= line; current++)
        {
            text = reader.ReadLine();
            if (text is null)
            {
                return null;
            }
        }

        if (reader.LastLineTooLong || NestsDeeperThan(text!, options.MaxJsonDepth))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text!, new JsonDocumentOptions { MaxDepth = options.MaxJsonDepth });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name.Contains('\uFFFD', StringComparison.Ordinal))
                {
                    return null;
                }

                if (property.Value.GetRawText().Contains('\uFFFD', StringComparison.Ordinal))
                {
                    var field = schema.FindField(property.Name);
                    return field >= 0 ? schema.Fields[field].Name : property.Name;
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // The line is broken JSON as well; the encoding error is still the one to report.
        }

        return null;
    }
}
