using System.Text.Json;
using System.Text;
using Pipeline.IO;

namespace Pipeline.Training.Training;

/// <summary>Writes <c>metrics.jsonl</c> (one JSON object per step or validation), atomically.</summary>
internal static class MetricsFile
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static void Write(string path, IEnumerable<MetricRecord> records)
    {
        var text = new StringBuilder();
        foreach (var record in records)
        {
            text.Append(JsonSerializer.Serialize(record, JsonOptions)).Append('\n');
        }

        AtomicFile.WriteAllText(path, text.ToString());
    }
}
