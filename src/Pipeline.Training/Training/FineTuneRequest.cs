using Pipeline.Training.Heads;
using Pipeline.Training.Lora;
using Pipeline.Training.Models;
using static TorchSharp.torch;

namespace Pipeline.Training.Training;

/// <summary>What to fine-tune (<c>train.technique</c>, with <c>lp-ft</c> as the classification default).</summary>
public enum FineTuneTechnique
{
    /// <summary>Linear probe only: frozen encoder, heads trained on cached features.</summary>
    Head,

    /// <summary>All weights, starting from a fresh (or warm-started) head.</summary>
    Full,

    /// <summary>LoRA adapters and heads, starting from a fresh (or warm-started) head.</summary>
    Lora,

    /// <summary>Linear probe first, then LoRA from the probed head (LP-FT).</summary>
    LpFt,
}

/// <summary>One fine-tuning run: model, tasks, technique, data and where the results go.</summary>
public sealed record FineTuneRequest
{
    /// <summary><c>model.base</c>: a Hugging Face folder or a packaged short name (minilm, arctic-xs).</summary>
    public required string ModelBase { get; init; }

    /// <summary>The heads to train; one single-label task for plain classification.</summary>
    public required IReadOnlyList<TaskHeadSpec> Tasks { get; init; }

    public required IReadOnlyList<TrainingExample> Train { get; init; }

    public required IReadOnlyList<TrainingExample> Validation { get; init; }

    /// <summary>Where the trained model goes (config.json, model.safetensors, tokenizer, heads, tasks.json, adapter/).</summary>
    public required string OutputFolder { get; init; }

    /// <summary>Checkpoints, best weights and metrics.jsonl; resumed from when it holds a checkpoint.</summary>
    public required string CheckpointFolder { get; init; }

    /// <summary>Default LP-FT.</summary>
    public FineTuneTechnique Technique { get; init; } = FineTuneTechnique.LpFt;

    /// <summary>Default mean pooling.</summary>
    public PoolingMode Pooling { get; init; } = PoolingMode.Mean;

    public TrainOptions TrainOptions { get; init; } = new();

    public LinearProbeOptions ProbeOptions { get; init; } = new();

    public LoraOptions LoraOptions { get; init; } = new();

    /// <summary>
    /// Continue from an earlier result instead of fresh heads: a folder written by this class
    /// (heads.safetensors + tasks.json, with either a full model or adapter/ on the same base). Default none.
    /// </summary>
    public string? WarmStartFolder { get; init; }

    /// <summary>Device to train on. Default the CPU.</summary>
    public Device? Device { get; init; }
}

/// <summary>What a fine-tuning run produced.</summary>
public sealed record FineTuneResult(
    FineTuneTechnique Technique,
    string OutputFolder,
    double? ProbeMacroF1,
    TrainResult? Training,
    long TrainableParameters,
    long TotalParameters)
{
    /// <summary>
    /// LP-FT only: true when the fine-tuned phase did not beat the linear probe on validation, so the
    /// written model is the probe (its heads on the unchanged encoder) and no adapter is written.
    /// </summary>
    public bool KeptProbe { get; init; }
}
