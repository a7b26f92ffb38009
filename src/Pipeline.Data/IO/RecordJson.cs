using System.Text.Json;
using Pipeline.Data.Model;

namespace Pipeline.Data.IO;

/// <summary>Writes and reads <see cref="DataRecord"/> and <see cref="Reject"/> lines (JSONL, UTF-8).</summary>
public static class RecordJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    /// <summary>Writes one record as one line.</summary>
    public static void Write(Utf8JsonWriter writer, Stream stream, DataRecord record)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(record);
        writer.Reset(stream);
        writer.WriteStartObject();
        if (record.Id is null)
        {
            writer.WriteNull("id");
        }
        else
        {
            writer.WriteString("id", record.Id);
        }

        writer.WriteString("text", record.Text);
        writer.WriteStartArray("labels");
        foreach (var label in record.Labels)
        {
            writer.WriteStringValue(label);
        }

        writer.WriteEndArray();
        writer.WriteString("source", record.Source);
        writer.WriteNumber("line", record.Line);
        writer.WriteNumber("row_id", record.RowId);
        writer.WriteNumber("group", record.Group);
        writer.WriteEndObject();
        writer.Flush();
        stream.WriteByte((byte)'\n');
    }

    /// <summary>Writes one reject as one line.</summary>
    public static void Write(Utf8JsonWriter writer, Stream stream, Reject reject)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(reject);
        writer.Reset(stream);
        writer.WriteStartObject();
        writer.WriteString("source", reject.Source);
        if (reject.Line is { } line)
        {
            writer.WriteNumber("line", line);
        }
        else
        {
            writer.WriteNull("line");
        }

        writer.WriteString("field", reject.Field);
        writer.WriteString("reason", reject.Reason);
        writer.WriteString("detail", reject.Detail);
        writer.WriteString("excerpt", reject.Excerpt);
        if (reject.DuplicateOf is not null)
        {
            writer.WriteString("duplicate_of", reject.DuplicateOf);
        }

        if (reject.RowId is { } rowId)
        {
            writer.WriteNumber("row_id", rowId);
        }

        writer.WriteEndObject();
        writer.Flush();
        stream.WriteByte((byte)'\n');
    }

    /// <summary>A writer for <see cref="Write(Utf8JsonWriter, Stream, DataRecord)"/>; reuse it for every line.</summary>
    public static Utf8JsonWriter CreateWriter(Stream stream) => new(stream, WriterOptions);

    /// <summary>Streams the records of a file written by this class.</summary>
    public static IEnumerable<DataRecord> ReadRecords(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var lines = new Utf8LineReader(stream);
        var labels = new List<string>();
        while (lines.TryReadLine(out var line))
        {
            if (line.IsEmpty)
            {
                continue;
            }

            yield return Parse(line.Span, labels, path, lines.LineNumber);
        }
    }

    private static int Property(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("id"u8) ? 0
        : reader.ValueTextEquals("text"u8) ? 1
        : reader.ValueTextEquals("source"u8) ? 2
        : reader.ValueTextEquals("line"u8) ? 3
        : reader.ValueTextEquals("row_id"u8) ? 4
        : reader.ValueTextEquals("group"u8) ? 5
        : reader.ValueTextEquals("labels"u8) ? 6
        : -1;

    private static DataRecord Parse(ReadOnlySpan<byte> line, List<string> labels, string path, long lineNumber)
    {
        var reader = new Utf8JsonReader(line);
        string? id = null, text = null, source = null;
        long sourceLine = 0, rowId = 0, group = 0;
        labels.Clear();
        try
        {
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var property = Property(ref reader);
                reader.Read();
                switch (property)
                {
                    case 0: id = reader.TokenType == JsonTokenType.Null ? null : reader.GetString(); break;
                    case 1: text = reader.GetString(); break;
                    case 2: source = reader.GetString(); break;
                    case 3: sourceLine = reader.GetInt64(); break;
                    case 4: rowId = reader.GetInt64(); break;
                    case 5: group = reader.GetInt64(); break;
                    case 6:
                        while (reader.Read() && reader.TokenType == JsonTokenType.String)
                        {
                            labels.Add(reader.GetString()!);
                        }

                        break;
                    default: reader.Skip(); break;
                }
            }
        }
        catch (JsonException ex)
        {
            throw new DataException($"{path}:{lineNumber}: not a record written by the data stages ({ex.Message}). Delete the artifacts folder and rerun Ingest.", ex);
        }

        if (text is null || source is null)
        {
            throw new DataException($"{path}:{lineNumber}: a record without text or source. Delete the artifacts folder and rerun Ingest.");
        }

        return new DataRecord(id, text, [.. labels], source, sourceLine) { RowId = rowId, Group = group };
    }
}
