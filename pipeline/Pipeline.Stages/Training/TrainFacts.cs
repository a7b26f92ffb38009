using System.Globalization;
using System.Text.Json;
using System.Text;
using Pipeline.IO;

namespace Pipeline.Stages.Training;

/// <summary>What one Train run did and how fast: <c>artifacts/train/facts.json</c>, read by Evaluate's report and by Register.</summary>
public sealed record TrainFacts
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary><c>train.technique</c>: head, full, lora or lp-ft.</summary>
    public required string Technique { get; init; }

    /// <summary><c>model.base</c> as configured.</summary>
    public required string BaseModel { get; init; }

    /// <summary>The base weights' identity (see the Train stage's inputs).</summary>
    public required string BaseModelIdentity { get; init; }

    /// <summary>The TorchSharp device trained on.</summary>
    public required string Device { get; init; }

    /// <summary>Parameters that received gradients in the last phase.</summary>
    public long TrainableParameters { get; init; }

    /// <summary>All parameters of the classifier.</summary>
    public long TotalParameters { get; init; }

    /// <summary>Configured epochs (<c>train.epochs</c>).</summary>
    public int Epochs { get; init; }

    /// <summary>Optimizer steps taken (0 for a linear probe).</summary>
    public long OptimizerSteps { get; init; }

    /// <summary>True when early stopping ended the run.</summary>
    public bool StoppedEarly { get; init; }

    /// <summary>Step of the checkpoint this run resumed from; null for a fresh run.</summary>
    public long? ResumedFromStep { get; init; }

    /// <summary>Training rows and validation rows.</summary>
    public int TrainRows { get; init; }

    /// <summary>Validation rows.</summary>
    public int ValidationRows { get; init; }

    /// <summary>Training examples per second of fine-tuning time.</summary>
    public double? ExamplesPerSecond { get; init; }

    /// <summary>Real tokens per second of fine-tuning time.</summary>
    public double? TokensPerSecond { get; init; }

    /// <summary>Wall time of the whole Train stage's model work (probe and fine-tune), in seconds.</summary>
    public double WallSeconds { get; init; }

    /// <summary>Peak resident memory of the process (VmHWM), in bytes.</summary>
    public long PeakMemoryBytes { get; init; }

    /// <summary>The linear probe's best validation macro-F1 (head and lp-ft).</summary>
    public double? ProbeValidationMacroF1 { get; init; }

    /// <summary>The fine-tuned model's best validation macro-F1 (full, lora and lp-ft).</summary>
    public double? FineTunedValidationMacroF1 { get; init; }

    /// <summary>LP-FT: true when fine-tuning did not beat the probe on validation, so the model is the probe.</summary>
    public bool KeptProbe { get; init; }

    /// <summary>What the model reads: <c>text</c> (default, also for facts written before images) or <c>image</c>.</summary>
    public string Modality { get; init; } = "text";

    /// <summary>True for an image classifier.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsImageModel => Modality == "image";

    /// <summary>Writes the facts as JSON to <paramref name="path"/>.</summary>
    public void Write(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    /// <summary>Reads <c>facts.json</c>; null when the file does not exist.</summary>
    public static TrainFacts? TryRead(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize<TrainFacts>(File.ReadAllText(path), Json) : null;

    /// <summary>The report's training section.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder()
            .Append("| fact | value |\n| --- | --- |\n");
        void Row(string name, string value) => text.Append("| ").Append(name).Append(" | ").Append(value).Append(" |\n");
        Row("technique", Technique);
        Row("base model", $"`{BaseModel}`");
        Row("device", Device);
        Row("parameters", string.Create(CultureInfo.InvariantCulture, $"{TrainableParameters:N0} trainable of {TotalParameters:N0}"));
        Row("epochs", string.Create(CultureInfo.InvariantCulture, $"{Epochs} configured, {OptimizerSteps} optimizer steps{(StoppedEarly ? ", stopped early" : "")}"));
        Row("rows", string.Create(CultureInfo.InvariantCulture, $"{TrainRows} train, {ValidationRows} validation"));
        Row("duration", string.Create(CultureInfo.InvariantCulture, $"{WallSeconds:0.0} s"));
        if (ExamplesPerSecond is { } examples)
        {
            Row("throughput", TokensPerSecond is { } tokens
                ? string.Create(CultureInfo.InvariantCulture, $"{examples:0.0} examples/s, {tokens:0} tokens/s")
                : string.Create(CultureInfo.InvariantCulture, $"{examples:0.0} {(IsImageModel ? "images" : "examples")}/s"));
        }

        Row("peak memory", string.Create(CultureInfo.InvariantCulture, $"{PeakMemoryBytes / (1024.0 * 1024.0):0} MiB"));
        if (ProbeValidationMacroF1 is { } probe)
        {
            Row("validation macro-F1, linear probe", probe.ToString("0.0000", CultureInfo.InvariantCulture));
        }

        if (FineTunedValidationMacroF1 is { } tuned)
        {
            Row("validation macro-F1, fine-tuned", tuned.ToString("0.0000", CultureInfo.InvariantCulture));
        }

        if (KeptProbe)
        {
            Row("kept", "the linear probe: fine-tuning did not beat it on validation");
        }

        if (ResumedFromStep is { } resumed)
        {
            Row("resumed", string.Create(CultureInfo.InvariantCulture, $"from the checkpoint at step {resumed}"));
        }

        return text.ToString();
    }
}
