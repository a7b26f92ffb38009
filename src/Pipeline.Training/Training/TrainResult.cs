namespace Pipeline.Training.Training;

/// <summary>What a run did: the best validation metric and where, why it stopped, and honest throughput.</summary>
public sealed record TrainResult
{
    public required double BestMacroF1 { get; init; }

    public required long BestStep { get; init; }

    public required long OptimizerSteps { get; init; }

    public required bool StoppedEarly { get; init; }

    /// <summary>Step of the checkpoint this run resumed from; null for a fresh run.</summary>
    public long? ResumedFromStep { get; init; }

    public required long TrainableParameters { get; init; }

    public required long TotalParameters { get; init; }

    /// <summary>Training examples per second of training time (validation and checkpoints excluded).</summary>
    public required double ExamplesPerSecond { get; init; }

    /// <summary>Real (non-padding) tokens per second of training time.</summary>
    public required double TokensPerSecond { get; init; }

    /// <summary>Share of the processed token slots that were padding.</summary>
    public required double PaddingFraction { get; init; }

    public required double TrainSeconds { get; init; }

    public required double WallSeconds { get; init; }

    public required long PeakWorkingSetBytes { get; init; }

    public required string Device { get; init; }

    public required IReadOnlyList<MetricRecord> History { get; init; }
}
