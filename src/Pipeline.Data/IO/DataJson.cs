using System.Text.Json;

namespace Pipeline.Data.IO;

/// <summary>The JSON settings of the stages' summaries and reports (snake_case, indented).</summary>
public static class DataJson
{
    /// <summary>Shared options.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    /// <summary>Reads <paramref name="path"/>; <paramref name="hint"/> says how to produce it when it is missing.</summary>
    public static T Read<T>(string path, string hint)
    {
        if (!File.Exists(path))
        {
            throw new DataException($"'{path}' is missing. {hint}");
        }

        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options)
                ?? throw new DataException($"'{path}' is empty. {hint}");
        }
        catch (JsonException ex)
        {
            throw new DataException($"'{path}' is not valid: {ex.Message}. {hint}", ex);
        }
    }
}
