using System.Text;
using System.Text.Json;

namespace Pipeline.Stages.Lineage;

/// <summary>Splits a data file into rows and reads each row's label(s), for the data diff.</summary>
internal static class DataRows
{
    /// <summary>The label given to rows whose label cannot be read.</summary>
    public const string Unlabeled = "(no label)";

    /// <summary>Whether the diff counts rows in a file with this name.</summary>
    public static bool IsRowFile(string path) =>
        path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase);

    /// <summary>Each row's text (its identity in the diff) and labels.</summary>
    public static IEnumerable<(string Row, IReadOnlyList<string> Labels)> Read(string path, string content, IReadOnlyList<string> labelFields)
    {
        if (path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
        {
            return ReadJsonLines(content, labelFields);
        }

        var separator = path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) ? '\t' : ',';
        return ReadDelimited(content, separator, labelFields);
    }

    private static IEnumerable<(string, IReadOnlyList<string>)> ReadJsonLines(string content, IReadOnlyList<string> labelFields)
    {
        foreach (var raw in content.Split('\n'))
        {
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0)
            {
                continue;
            }

            yield return (line, LabelsOfJson(line, labelFields));
        }
    }

    private static string[] LabelsOfJson(string line, IReadOnlyList<string> labelFields)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return [Unlabeled];
            }

            foreach (var field in labelFields)
            {
                if (document.RootElement.TryGetProperty(field, out var value))
                {
                    return value.ValueKind switch
                    {
                        JsonValueKind.String => [value.GetString()!],
                        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => [value.GetRawText()],
                        JsonValueKind.Array => [.. value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText())],
                        _ => [Unlabeled],
                    };
                }
            }
        }
        catch (JsonException)
        {
            // An unparseable row still counts as a row; Ingest reports why it is rejected.
        }

        return [Unlabeled];
    }

    private static IEnumerable<(string, IReadOnlyList<string>)> ReadDelimited(string content, char separator, IReadOnlyList<string> labelFields)
    {
        var records = separator == '\t'
            ? content.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).Select(l => (Text: l, Fields: l.Split('\t')))
            : ParseCsv(content);
        var labelColumn = -1;
        var first = true;
        foreach (var (text, fields) in records)
        {
            if (first)
            {
                first = false;
                labelColumn = labelFields
                    .Select(f => Array.FindIndex(fields, h => string.Equals(h.Trim(), f, StringComparison.OrdinalIgnoreCase)))
                    .FirstOrDefault(i => i >= 0, -1);
                continue;
            }

            var label = labelColumn >= 0 && labelColumn < fields.Length && fields[labelColumn].Length > 0 ? fields[labelColumn] : Unlabeled;
            yield return (text, [label]);
        }
    }

    /// <summary>RFC 4180 records: quoted fields may hold separators, doubled quotes and newlines.</summary>
    private static IEnumerable<(string Text, string[] Fields)> ParseCsv(string content)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var start = 0;
        var quoted = false;
        for (var i = 0; i < content.Length; i++)
        {
            var c = content[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < content.Length && content[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n')
            {
                fields.Add(field.ToString().TrimEnd('\r'));
                var text = content[start..i].TrimEnd('\r');
                if (text.Length > 0)
                {
                    yield return (text, [.. fields]);
                }

                fields.Clear();
                field.Clear();
                start = i + 1;
            }
            else
            {
                field.Append(c);
            }
        }

        if (start < content.Length && content[start..].Trim().Length > 0)
        {
            fields.Add(field.ToString().TrimEnd('\r'));
            yield return (content[start..].TrimEnd('\r'), [.. fields]);
        }
    }
}
