namespace Pipeline.Configuration;

/// <summary>
/// The whole of <c>pipeline.yaml</c>: one section per stage. Every key is optional; a missing
/// key takes the default shown in the committed <c>pipeline.yaml</c>. Load it with
/// <c>PipelineConfig.Load</c>, which validates types, ranges and cross-field rules.
/// </summary>
public sealed record PipelineOptions
{
    /// <summary>Version of the config format. Default 1; must be 1.</summary>
    [ConfigDescription("Version of the config format. Default 1; must be 1.")]
    [ConfigRange(Min = 1, Max = 1)]
    public int Version { get; init; } = 1;

    /// <summary>Where the labeled data comes from and which fields hold text and labels.</summary>
    [ConfigDescription("Where the labeled data comes from and which fields hold text and labels.")]
    public DataOptions Data { get; init; } = new();

    /// <summary>Cleaning rules: normalisation, length bounds, labels, duplicates, conflicts.</summary>
    [ConfigDescription("Cleaning rules: normalisation, length bounds, labels, duplicates, conflicts.")]
    public CleanOptions Clean { get; init; } = new();

    /// <summary>The stable hash-based train/validation/test split.</summary>
    [ConfigDescription("The stable hash-based train/validation/test split.")]
    public SplitOptions Split { get; init; } = new();

    /// <summary>Tokenisation: sequence length, truncation and padding.</summary>
    [ConfigDescription("Tokenisation: sequence length, truncation and padding.")]
    public FormatOptions Format { get; init; } = new();

    /// <summary>The pretrained base model, the task shape and the pooling.</summary>
    [ConfigDescription("The pretrained base model, the task shape and the pooling.")]
    public ModelOptions Model { get; init; } = new();

    /// <summary>Fine-tuning: technique, optimiser, schedule, early stopping, checkpoints, LoRA.</summary>
    [ConfigDescription("Fine-tuning: technique, optimiser, schedule, early stopping, checkpoints, LoRA.")]
    public TrainOptions Train { get; init; } = new();

    /// <summary>Evaluation against the champion: bootstrap intervals and the metric gates.</summary>
    [ConfigDescription("Evaluation against the champion: bootstrap intervals and the metric gates.")]
    public EvaluateOptions Evaluate { get; init; } = new();

    /// <summary>Where a model that passes the gates is registered (MLflow or the local registry).</summary>
    [ConfigDescription("Where a model that passes the gates is registered (MLflow or the local registry).")]
    public RegisterOptions Register { get; init; } = new();
}
