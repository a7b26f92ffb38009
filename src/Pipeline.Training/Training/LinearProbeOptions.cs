namespace Pipeline.Training.Training;

/// <summary>Settings of the linear probe on cached features (phase one of LP-FT, or <c>technique: head</c>).</summary>
public sealed record LinearProbeOptions
{
    /// <summary>Passes over the cached features. Default 100; within [1, 100000].</summary>
    public int Epochs
    {
        get;
        init => field = value is >= 1 and <= 100_000 ? value : throw new ArgumentOutOfRangeException(nameof(Epochs), value, "Probe epochs must be within [1, 100000].");
    } = 100;

    /// <summary>Rows per step on the cached features. Default 64; within [1, 1000000].</summary>
    public int BatchSize
    {
        get;
        init => field = value is >= 1 and <= 1_000_000 ? value : throw new ArgumentOutOfRangeException(nameof(BatchSize), value, "Probe batch size must be within [1, 1000000].");
    } = 64;

    /// <summary>Head learning rate. Default 1e-2; within (0, 1].</summary>
    public double LearningRate
    {
        get;
        init => field = value is > 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(LearningRate), value, "Probe learning rate must be within (0, 1].");
    } = 1e-2;

    /// <summary>AdamW weight decay on the head weights. Default 1e-2; within [0, 1].</summary>
    public double WeightDecay
    {
        get;
        init => field = value is >= 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(WeightDecay), value, "Probe weight decay must be within [0, 1].");
    } = 1e-2;

    /// <summary>Validate every N epochs and keep the best head. Default 5; within [1, 100000].</summary>
    public int EvalEveryEpochs
    {
        get;
        init => field = value is >= 1 and <= 100_000 ? value : throw new ArgumentOutOfRangeException(nameof(EvalEveryEpochs), value, "Must be within [1, 100000].");
    } = 5;

    /// <summary>Encoder batch size while computing the features once. Default 32; within [1, 4096].</summary>
    public int FeatureBatchSize
    {
        get;
        init => field = value is >= 1 and <= 4096 ? value : throw new ArgumentOutOfRangeException(nameof(FeatureBatchSize), value, "Must be within [1, 4096].");
    } = 32;

    /// <summary>Seed for the head's data order and dropout. Default 42.</summary>
    public int Seed { get; init; } = 42;
}
