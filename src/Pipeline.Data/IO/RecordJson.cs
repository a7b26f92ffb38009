using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Pipeline.Data.Model;

namespace Pipeline.Data.IO;

/// <summary>Writes and reads <see cref="DataRecord"/> and <see cref="Reject"/> lines (JSONL, UTF-8).</summary>
public static class RecordJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };
    private static readonly JsonEncodedText IdName = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText TextName = JsonEncodedText.Encode("text");
    private static readonly JsonEncodedText LabelsName = JsonEncodedText.Encode("labels");
    private static readonly JsonEncodedText SourceName = JsonEncodedText.Encode("source");
    private static readonly JsonEncodedText LineName = JsonEncodedText.Encode("line");
    private static readonly JsonEncodedText RowIdName = JsonEncodedText.Encode("row_id");
    private static readonly JsonEncodedText GroupName = JsonEncodedText.Encode("group");
    private static readonly JsonEncodedText FieldName = JsonEncodedText.Encode("field");
    private static readonly JsonEncodedText ReasonName = JsonEncodedText.Encode("reason");
    private static readonly JsonEncodedText DetailName = JsonEncodedText.Encode("detail");
    private static readonly JsonEncodedText ExcerptName = JsonEncodedText.Encode("excerpt");
    private static readonly JsonEncodedText DuplicateOfName = JsonEncodedText.Encode("duplicate_of");
    private static readonly JsonEncodedText ImageName = JsonEncodedText.Encode("image");
    private static readonly JsonEncodedText ImageHashName = JsonEncodedText.Encode("image_hash");

    // Property names in the order of Property's codes.
    private static readonly byte[][] Names = [.. new[] { "id", "text", "source", "line", "row_id", "group", "labels", "image", "image_hash" }.Select(System.Text.Encoding.UTF8.GetBytes)];

    /// <summary>Writes one record as one line.</summary>
    public static void Write(Utf8JsonWriter writer, Stream stream, DataRecord record)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(record);
        writer.Reset(stream);
        WriteObject(writer, record);
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
        WriteObject(writer, reject);
        writer.Flush();
        stream.WriteByte((byte)'\n');
    }

    /// <summary>A writer for <see cref="Write(Utf8JsonWriter, Stream, DataRecord)"/>; reuse it for every line.</summary>
    public static Utf8JsonWriter CreateWriter(Stream stream) => new(stream, WriterOptions);

    /// <summary>A writer into a buffer, with the same options.</summary>
    internal static Utf8JsonWriter CreateWriter(IBufferWriter<byte> buffer) => new(buffer, WriterOptions);

    /// <summary>The record's JSON object, without a newline and without flushing.</summary>
    internal static void WriteObject(Utf8JsonWriter writer, DataRecord record)
    {
        writer.WriteStartObject();
        if (record.Id is null)
        {
            writer.WriteNull(IdName);
        }
        else
        {
            writer.WriteString(IdName, record.Id);
        }

        writer.WriteString(TextName, record.Text);
        writer.WriteStartArray(LabelsName);
        foreach (var label in record.Labels)
        {
            writer.WriteStringValue(label);
        }

        writer.WriteEndArray();
        writer.WriteString(SourceName, record.Source);
        writer.WriteNumber(LineName, record.Line);
        if (record.Image is not null)
        {
            writer.WriteString(ImageName, record.Image);
        }

        if (record.ImageHash is not null)
        {
            writer.WriteString(ImageHashName, record.ImageHash);
        }

        writer.WriteNumber(RowIdName, record.RowId);
        writer.WriteNumber(GroupName, record.Group);
        writer.WriteEndObject();
    }

    /// <summary>The reject's JSON object, without a newline and without flushing.</summary>
    internal static void WriteObject(Utf8JsonWriter writer, Reject reject)
    {
        writer.WriteStartObject();
        writer.WriteString(SourceName, reject.Source);
        if (reject.Line is { } line)
        {
            writer.WriteNumber(LineName, line);
        }
        else
        {
            writer.WriteNull(LineName);
        }

        writer.WriteString(FieldName, reject.Field);
        writer.WriteString(ReasonName, reject.Reason);
        writer.WriteString(DetailName, reject.Detail);
        writer.WriteString(ExcerptName, reject.Excerpt);
        if (reject.DuplicateOf is not null)
        {
            writer.WriteString(DuplicateOfName, reject.DuplicateOf);
        }

        if (reject.RowId is { } rowId)
        {
            writer.WriteNumber(RowIdName, rowId);
        }

        writer.WriteEndObject();
    }

    /// <summary>Streams the records of a file written by this class.</summary>
    public static IEnumerable<DataRecord> ReadRecords(string path) => ReadRecords(path, withOrigin: true);

    /// <summary>
    /// Streams the records of a file written by this class; without <paramref name="withOrigin"/>,
    /// <see cref="DataRecord.Id"/> is null and <see cref="DataRecord.Source"/> empty (their presence is still checked).
    /// </summary>
    internal static IEnumerable<DataRecord> ReadRecords(string path, bool withOrigin)
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

            yield return Parse(line.Span, labels, path, lines.LineNumber, withOrigin);
        }
    }

    private static int Property(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            // The names this class writes, told apart by length and first byte without a chain of compares.
            var name = reader.ValueSpan;
            var guess = (name.Length, name.IsEmpty ? 0 : name[0]) switch
            {
                (2, (byte)'i') => 0,
                (4, (byte)'t') => 1,
                (6, (byte)'s') => 2,
                (4, (byte)'l') => 3,
                (6, (byte)'r') => 4,
                (5, (byte)'g') => 5,
                (6, (byte)'l') => 6,
                (5, (byte)'i') => 7,
                (10, (byte)'i') => 8,
                _ => -1,
            };
            if (guess >= 0 && name.SequenceEqual(Names[guess]))
            {
                return guess;
            }
        }

        return PropertyByCompare(ref reader);
    }

    private static int PropertyByCompare(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("id"u8) ? 0
        : reader.ValueTextEquals("text"u8) ? 1
        : reader.ValueTextEquals("source"u8) ? 2
        : reader.ValueTextEquals("line"u8) ? 3
        : reader.ValueTextEquals("row_id"u8) ? 4
        : reader.ValueTextEquals("group"u8) ? 5
        : reader.ValueTextEquals("labels"u8) ? 6
        : reader.ValueTextEquals("image"u8) ? 7
        : reader.ValueTextEquals("image_hash"u8) ? 8
        : -1;

    /// <summary>Parses one line written by this class (<paramref name="labels"/> is scratch space).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static DataRecord Parse(ReadOnlySpan<byte> line, List<string> labels, string path, long lineNumber, bool withOrigin = true)
    {
        var reader = new Utf8JsonReader(line);
        string? id = null, text = null, source = null, image = null, imageHash = null;
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
                    case 0: id = reader.TokenType == JsonTokenType.Null || !withOrigin ? null : reader.GetString(); break;
                    case 1: text = reader.GetString(); break;
                    case 2: source = withOrigin ? reader.GetString() : reader.TokenType == JsonTokenType.String ? "" : null; break;
                    case 3: sourceLine = reader.GetInt64(); break;
                    case 4: rowId = reader.GetInt64(); break;
                    case 5: group = reader.GetInt64(); break;
                    case 7: image = reader.GetString(); break;
                    case 8: imageHash = reader.GetString(); break;
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

        return new DataRecord(id, text, [.. labels], source, sourceLine) { RowId = rowId, Group = group, Image = image, ImageHash = imageHash };
    }
}
