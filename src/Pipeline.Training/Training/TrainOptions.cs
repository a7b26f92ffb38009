namespace Pipeline.Training.Training;

/// <summary>Learning-rate decay after warm-up.</summary>
public enum LrSchedule
{
    /// <summary>Linear decay to 0 at the last step.</summary>
    Linear,

    /// <summary>Half-cosine decay to 0 at the last step.</summary>
    Cosine,

    /// <summary>No decay after warm-up.</summary>
    Constant,
}

/// <summary>The trainer loop's settings (<c>train.*</c> in <c>pipeline.yaml</c>); every property is validated when set.</summary>
public sealed record TrainOptions
{
    /// <summary>Passes over the training set. Default 3; within [1, 1000].</summary>
    public int Epochs { get; init => field = InRange(value, 1, 1000, nameof(Epochs)); } = 3;

    /// <summary>Examples per micro-batch. Default 16; within [1, 4096].</summary>
    public int BatchSize { get; init => field = InRange(value, 1, 4096, nameof(BatchSize)); } = 16;

    /// <summary>Peak learning rate of the encoder (and adapters). Default 2e-3 (LoRA); within (0, 1].</summary>
    public double LearningRate { get; init => field = Positive(value, 1, nameof(LearningRate)); } = 2e-3;

    /// <summary>Peak learning rate of the heads. Default 1e-2; within (0, 1].</summary>
    public double HeadLearningRate { get; init => field = Positive(value, 1, nameof(HeadLearningRate)); } = 1e-2;

    /// <summary>AdamW decoupled weight decay, not applied to biases and LayerNorm. Default 0.01; within [0, 1].</summary>
    public double WeightDecay { get; init => field = value is >= 0 and <= 1 ? value : throw Range(nameof(WeightDecay), value, "[0, 1]"); } = 0.01;

    /// <summary>Fraction of optimizer steps spent warming up linearly from 0. Default 0.1; within [0, 1).</summary>
    public double WarmupRatio { get; init => field = value is >= 0 and < 1 ? value : throw Range(nameof(WarmupRatio), value, "[0, 1)"); } = 0.1;

    /// <summary>Decay after warm-up. Default linear.</summary>
    public LrSchedule Schedule { get; init; } = LrSchedule.Linear;

    /// <summary>Global gradient-norm clip; 0 turns clipping off. Default 1.0; within [0, +Inf).</summary>
    public double MaxGradNorm { get; init => field = value >= 0 && double.IsFinite(value) ? value : throw Range(nameof(MaxGradNorm), value, "[0, +Inf)"); } = 1.0;

    /// <summary>Micro-batches per optimizer step. Default 1; within [1, 1024].</summary>
    public int GradientAccumulation { get; init => field = InRange(value, 1, 1024, nameof(GradientAccumulation)); } = 1;

    /// <summary>Seed for weights of new heads, dropout and data order. Default 42.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Validate every N optimizer steps; 0 validates at each epoch end only. Default 0; within [0, +Inf).</summary>
    public int EvalEverySteps { get; init => field = InRange(value, 0, int.MaxValue, nameof(EvalEverySteps)); }

    /// <summary>Stop after this many validations without improvement; 0 never stops early. Default 2; within [0, 1000].</summary>
    public int EarlyStoppingPatience { get; init => field = InRange(value, 0, 1000, nameof(EarlyStoppingPatience)); } = 2;

    /// <summary>Write a checkpoint every N optimizer steps (and at each epoch end); 0: epoch ends only. Default 200.</summary>
    public int CheckpointEverySteps { get; init => field = InRange(value, 0, int.MaxValue, nameof(CheckpointEverySteps)); } = 200;

    /// <summary>Checkpoints kept besides the best one. Default 2; within [1, 100].</summary>
    public int KeepLastCheckpoints { get; init => field = InRange(value, 1, 100, nameof(KeepLastCheckpoints)); } = 2;

    /// <summary>Examples per length bucket: this many batches are sorted by length together. Default 50; within [1, 10000].</summary>
    public int BucketBatches { get; init => field = InRange(value, 1, 10_000, nameof(BucketBatches)); } = 50;

    /// <summary>
    /// Pad every batch to this many tokens (<c>format.padding: max_length</c>) instead of to its
    /// longest row; null (default) pads dynamically. Rows longer than this are not cut here: Format
    /// already truncated them to <c>format.max_length</c>.
    /// </summary>
    public int? PadToLength { get; init => field = value is { } v ? InRange(v, 1, 1_000_000, nameof(PadToLength)) : null; }

    /// <summary>Multitask only: draw each batch from one task's rows by mixture weights or temperature. Default none (batches mix all rows).</summary>
    public TaskSampling? TaskSampling { get; init; }

    /// <summary>Log one line every N optimizer steps. Default 10; within [1, +Inf).</summary>
    public int LogEverySteps { get; init => field = InRange(value, 1, int.MaxValue, nameof(LogEverySteps)); } = 10;

    private static int InRange(int value, int min, int max, string name) =>
        value >= min && value <= max ? value : throw Range(name, value, $"[{min}, {max}]");

    private static double Positive(double value, double max, string name) =>
        value > 0 && value <= max ? value : throw Range(name, value, $"(0, {max}]");

    private static ArgumentOutOfRangeException Range(string name, object value, string range) =>
        new(name, value, $"train option {name} must be within {range}.");
}
