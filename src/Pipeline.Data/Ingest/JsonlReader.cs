using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Pipeline.Data.IO;
using Pipeline.Data.Model;
using Pipeline.Data.Sources;

namespace Pipeline.Data.Ingest;

/// <summary>Streams a JSONL file line by line with <see cref="Utf8JsonReader"/>; blank lines are not records.</summary>
internal static class JsonlReader
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Read(ResolvedFile file, IRecordSink sink, CancellationToken cancellationToken)
    {
        var spec = file.Spec;
        var wanted = spec.TextFields.Concat(spec.LabelFields).Append(spec.IdField).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        var wantedUtf8 = wanted.Select(Encoding.UTF8.GetBytes).ToArray();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var notString = new HashSet<string>(StringComparer.Ordinal);
        string? Get(string name) => values.GetValueOrDefault(name);
        using var stream = new FileStream(file.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var lines = new Utf8LineReader(stream);
        while (lines.TryReadLine(out var memory))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var line = memory.Span;
            if (line.Trim(" \t"u8).IsEmpty)
            {
                continue;
            }

            var number = lines.LineNumber;
            if (!Utf8.IsValid(line))
            {
                var excerpt = Reject.Cut(Encoding.UTF8.GetString(line));
                sink.Reject(new Reject(file.DisplayPath, number, null, RejectReasons.InvalidUtf8, "The line is not valid UTF-8. Re-encode the file as UTF-8.", excerpt));
                continue;
            }

            values.Clear();
            notString.Clear();
            if (!TryParse(line, wanted, wantedUtf8, spec.IdField, values, notString, out var error))
            {
                sink.Reject(new Reject(file.DisplayPath, number, null, RejectReasons.InvalidJson, $"Not a complete JSON object: {error}", Reject.Cut(Encoding.UTF8.GetString(line))));
                continue;
            }

            if (notString.Count > 0)
            {
                var field = notString.Order(StringComparer.Ordinal).First();
                sink.Reject(new Reject(file.DisplayPath, number, field, RejectReasons.NotAString, $"Field '{field}' is not a string.", Reject.Cut(Encoding.UTF8.GetString(line))));
                continue;
            }

            FieldMap.Emit(spec, file.DisplayPath, number, Get, null, sink);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryParse(ReadOnlySpan<byte> line, string[] wanted, byte[][] wantedUtf8, string? idField, Dictionary<string, string> values, HashSet<string> notString, out string error)
    {
        error = "";
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { AllowTrailingCommas = false });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "the line does not start with '{'";
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string? name = null;
                for (var i = 0; i < wanted.Length; i++)
                {
                    if (reader.ValueTextEquals(wantedUtf8[i]))
                    {
                        name = wanted[i];
                        break;
                    }
                }

                reader.Read();
                if (name is null)
                {
                    reader.Skip();
                }
                else if (reader.TokenType == JsonTokenType.String)
                {
                    values[name] = reader.GetString()!;
                }
                else if (reader.TokenType == JsonTokenType.Number && name == idField)
                {
                    values[name] = Encoding.UTF8.GetString(reader.ValueSpan);
                }
                else
                {
                    notString.Add(name);
                    reader.Skip();
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                error = "unexpected content after the object";
                return false;
            }

            return true;
        }
        catch (JsonException ex)
        {
            error = ex.Message;
            return false;
        }
    }
}
