using Parquet;
using Parquet.Schema;
using Pipeline.Data.Model;
using Pipeline.Data.Sources;

namespace Pipeline.Data.Ingest;

/// <summary>Reads Parquet one row group at a time (string columns; ids may be integers).</summary>
internal static class ParquetSourceReader
{
    public static async Task ReadAsync(ResolvedFile file, IRecordSink sink, CancellationToken cancellationToken)
    {
        var spec = file.Spec;
        await using var reader = await ParquetReader.CreateAsync(file.FullPath, cancellationToken: cancellationToken).ConfigureAwait(false);
        var fields = reader.Schema.GetDataFields().ToDictionary(f => f.Name, StringComparer.Ordinal);
        var wanted = spec.TextFields.Concat(spec.LabelFields).Append(spec.IdField).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        var line = 0L;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var count = checked((int)group.RowCount);
            var columns = new Dictionary<string, string?[]>(StringComparer.Ordinal);
            foreach (var name in wanted)
            {
                if (fields.TryGetValue(name, out var field))
                {
                    columns[name] = await ReadColumnAsync(group, field, count, cancellationToken).ConfigureAwait(false);
                }
            }

            for (var row = 0; row < count; row++)
            {
                line++;
                FieldMap.Emit(spec, file.DisplayPath, line, name => columns.TryGetValue(name, out var values) ? values[row] : null, null, sink);
            }
        }

        if (line == 0)
        {
            sink.Reject(new Reject(file.DisplayPath, null, null, RejectReasons.EmptyFile, "The Parquet file has no rows.", null));
        }
    }

    private static async Task<string?[]> ReadColumnAsync(ParquetRowGroupReader group, DataField field, int count, CancellationToken cancellationToken)
    {
        var result = new string?[count];
        if (field.ClrType == typeof(long))
        {
            var buffer = new long?[count];
            await group.ReadAsync(field, buffer.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < count; i++)
            {
                result[i] = buffer[i]?.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        else if (field.ClrType == typeof(int))
        {
            var buffer = new int?[count];
            await group.ReadAsync(field, buffer.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < count; i++)
            {
                result[i] = buffer[i]?.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        else
        {
            await group.ReadAsync(field, result.AsMemory(), null, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }
}
