using System.Text.Json.Serialization;
using System.Text.Json;
using Pipeline.IO;

namespace Pipeline.Evaluation;

/// <summary>
/// A model's test-split predictions as a JSON file, so the stage that scores a model (Train) and
/// the one that judges it (Evaluate) exchange plain data:
/// <code>
/// {"model_name": "...", "tasks": [{"task": "intent", "label_names": ["billing", ...],
///   "rows": [{"row_id": "r1", "true_label": 0, "probabilities": [0.9, 0.1, ...]}, ...]}]}
/// </code>
/// </summary>
public static class PredictionsFile
{
    /// <summary>The conventional file name, e.g. <c>artifacts/train/test-predictions.json</c>.</summary>
    public const string DefaultFileName = "test-predictions.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>Writes <paramref name="predictions"/> to <paramref name="path"/> atomically.</summary>
    public static Task WriteAsync(ModelPredictions predictions, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentException.ThrowIfNullOrEmpty(path);
        return AtomicFile.WriteAllBytesAsync(path, JsonSerializer.SerializeToUtf8Bytes(predictions, Json), cancellationToken);
    }

    /// <summary>Reads a predictions file.</summary>
    /// <exception cref="EvaluationException">The file is missing or not a predictions file; the message names it and the JSON position.</exception>
    public static async Task<ModelPredictions> ReadAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new EvaluationException($"Predictions file '{path}' does not exist; run the Train stage first (it writes the test-split predictions).");
        }

        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                var predictions = await JsonSerializer.DeserializeAsync<ModelPredictions>(stream, Json, cancellationToken).ConfigureAwait(false);
                return predictions ?? throw new EvaluationException($"Predictions file '{path}' holds null; expected an object with model_name and tasks.");
            }
            catch (JsonException ex)
            {
                throw new EvaluationException($"Predictions file '{path}' is not valid ({ex.Message}); expected {{\"model_name\", \"tasks\": [{{\"task\", \"label_names\", \"rows\": [{{\"row_id\", \"true_label\", \"probabilities\"}}]}}]}}.", ex);
            }
        }
    }
}
