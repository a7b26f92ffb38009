using System.Runtime.CompilerServices;
using nietras.SeparatedValues;
using Pipeline.Data.Model;
using Pipeline.Data.Sources;

namespace Pipeline.Data.Ingest;

/// <summary>Streams CSV/TSV with Sep: header row, RFC 4180 quotes, embedded newlines, a UTF-8 BOM.</summary>
internal static class DelimitedReader
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Read(ResolvedFile file, char separator, IRecordSink sink, CancellationToken cancellationToken)
    {
        var spec = file.Spec;
        using var reader = Sep.New(separator).Reader(o => o with { Unescape = true, DisableColCountCheck = true }).FromFile(file.FullPath);
        if (reader.Header.IsEmpty)
        {
            sink.Reject(new Reject(file.DisplayPath, null, null, RejectReasons.EmptyFile, "The file has no header row. Add a header naming the columns.", null));
            return;
        }

        var names = reader.Header.ColNames;
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            columns.TryAdd(names[i], i);
        }

        var values = new string?[names.Count];
        var rows = 0;
        foreach (var row in reader)
        {
            cancellationToken.ThrowIfCancellationRequested();
            rows++;
            var line = row.LineNumberFrom;
            var raw = row.Span;
            if (raw.Count('"') % 2 != 0)
            {
                sink.Reject(new Reject(file.DisplayPath, line, null, RejectReasons.BrokenQuoting, $"Unbalanced quotes in the row starting on line {line}: a quoted field is not closed. Quote fields with \"…\" and double inner quotes.", Reject.Cut(raw.ToString())));
                continue;
            }

            if (row.ColCount != names.Count)
            {
                sink.Reject(new Reject(file.DisplayPath, line, null, RejectReasons.ColumnCount, $"The row has {row.ColCount} columns, the header {names.Count}.", Reject.Cut(raw.ToString())));
                continue;
            }

            string? badField = null;
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = row[i].ToString();
                if (badField is null && values[i]!.Contains('\uFFFD', StringComparison.Ordinal))
                {
                    badField = names[i];
                }
            }

            if (badField is not null)
            {
                sink.Reject(new Reject(file.DisplayPath, line, badField, RejectReasons.InvalidUtf8, $"Field '{badField}' is not valid UTF-8. Re-encode the file as UTF-8.", Reject.Cut(raw.ToString())));
                continue;
            }

            FieldMap.Emit(spec, file.DisplayPath, line, name => columns.TryGetValue(name, out var index) ? values[index] : null, null, sink);
        }

        if (rows == 0)
        {
            sink.Reject(new Reject(file.DisplayPath, null, null, RejectReasons.EmptyFile, "The file has a header but no rows.", null));
        }
    }
}
