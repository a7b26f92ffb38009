using Pipeline.Data.Model;
using Pipeline.Data.Sources;

namespace Pipeline.Data.Ingest;

/// <summary>Turns the field values of one row into a record or a reject, the same way for every tabular format.</summary>
internal static class FieldMap
{
    /// <summary>Builds a record from <paramref name="get"/> (null: field missing); returns a reject when a field is missing or empty.</summary>
    public static void Emit(SourceSpec spec, string source, long line, Func<string, string?> get, string? excerpt, IRecordSink sink)
    {
        string text;
        if (spec.TextFields.Count == 1)
        {
            var value = get(spec.TextFields[0]);
            if (value is null)
            {
                sink.Reject(Missing(source, line, spec.TextFields[0], excerpt));
                return;
            }

            text = value;
        }
        else
        {
            var parts = new string[spec.TextFields.Count];
            for (var i = 0; i < parts.Length; i++)
            {
                var value = get(spec.TextFields[i]);
                if (value is null)
                {
                    sink.Reject(Missing(source, line, spec.TextFields[i], excerpt));
                    return;
                }

                parts[i] = value;
            }

            text = string.Join('\n', parts);
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            sink.Reject(new Reject(source, line, spec.TextFields[0], RejectReasons.EmptyText, "The text is empty.", excerpt));
            return;
        }

        var labels = new string[spec.LabelFields.Count];
        for (var i = 0; i < labels.Length; i++)
        {
            var value = get(spec.LabelFields[i]);
            if (value is null)
            {
                sink.Reject(Missing(source, line, spec.LabelFields[i], excerpt));
                return;
            }

            labels[i] = value;
        }

        var id = spec.IdField is null ? null : get(spec.IdField);
        if (spec.IdField is not null && string.IsNullOrEmpty(id))
        {
            sink.Reject(Missing(source, line, spec.IdField, excerpt));
            return;
        }

        sink.Accept(new DataRecord(id, text, labels, source, line));
    }

    private static Reject Missing(string source, long line, string field, string? excerpt) =>
        new(source, line, field, RejectReasons.MissingField, $"Field '{field}' is missing. Check the field names under data.sources in pipeline.yaml.", excerpt);
}
