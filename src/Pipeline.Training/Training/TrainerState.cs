namespace Pipeline.Training.Training;

/// <summary>Where a run stands: enough to resume exactly (with the weights, optimizer and RNG state beside it).</summary>
internal sealed record TrainerState
{
    public int Epoch { get; init; }

    /// <summary>Index of the next batch to run in <see cref="Epoch"/>'s batch order.</summary>
    public int NextBatch { get; init; }

    public long Step { get; init; }

    public double BestMetric { get; init; } = double.NegativeInfinity;

    public long BestStep { get; init; } = -1;

    public int EvaluationsWithoutImprovement { get; init; }

    public bool StoppedEarly { get; init; }

    /// <summary>libtorch's CPU generator state (dropout), base64.</summary>
    public string RngState { get; init; } = "";

    /// <summary>Count and sum of the frozen parameters, checked on resume (see CheckpointStore.FrozenFingerprint).</summary>
    public string FrozenFingerprint { get; init; } = "";

    public IReadOnlyList<MetricRecord> History { get; init; } = [];
}

/// <summary>One line of <c>metrics.jsonl</c>: a training step (loss, lr) or a validation (metrics).</summary>
public sealed record MetricRecord(
    string Kind,
    int Epoch,
    long Step,
    double? Loss,
    double? LearningRate,
    double? ValidationLoss,
    double? MacroF1,
    IReadOnlyDictionary<string, double>? Accuracy);
