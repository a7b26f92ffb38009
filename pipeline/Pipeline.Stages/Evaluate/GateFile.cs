using System.Text.Json.Serialization;
using System.Text.Json;
using Pipeline.Evaluation.Gating;
using Pipeline.IO;

namespace Pipeline.Stages.Evaluate;

/// <summary>
/// <c>artifacts/evaluate/gate.json</c>: Evaluate's verdict and the challenger's test metrics, for
/// Register (which alias to move) and for anyone reading the run.
/// </summary>
public sealed record GateFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Pass, pass_as_challenger or fail.</summary>
    public required GateVerdict Verdict { get; init; }

    /// <summary>The report's verdict line: PASS, PASS as challenger or FAIL.</summary>
    public required string VerdictText { get; init; }

    /// <summary>The failing rules and their numbers; null unless the verdict is fail.</summary>
    public string? FailureMessage { get; init; }

    /// <summary>What the challenger was compared with (<c>champion v3</c>, a baseline), or null for floors only.</summary>
    public string? ComparedWith { get; init; }

    /// <summary>The challenger's test metrics, keyed <c>test.METRIC</c> (single task) or <c>test.TASK.METRIC</c>.</summary>
    public required IReadOnlyDictionary<string, double> TestMetrics { get; init; }

    /// <summary>Writes the file atomically.</summary>
    public void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json));
    }

    /// <summary>Reads the file.</summary>
    /// <exception cref="Errors.PipelineException">It does not exist: Evaluate has not run.</exception>
    public static GateFile Read(string path) =>
        File.Exists(path)
            ? JsonSerializer.Deserialize<GateFile>(File.ReadAllText(path), Json) ?? throw new Errors.PipelineException($"'{path}' is empty; rerun ./build.sh Evaluate.")
            : throw new Errors.PipelineException($"'{path}' does not exist: run the Evaluate stage first (./build.sh Evaluate).");
}
