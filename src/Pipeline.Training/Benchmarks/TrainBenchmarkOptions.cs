namespace Pipeline.Training.Benchmarks;

/// <summary>Shape of the training benchmark. Defaults are MiniLM's: 6 layers, hidden 384, 12 heads, FFN 1536, batch 16, length 128.</summary>
public sealed record TrainBenchmarkOptions
{
    public int Layers { get; init; } = 6;

    public int Hidden { get; init; } = 384;

    public int Heads { get; init; } = 12;

    public int Intermediate { get; init; } = 1536;

    public int VocabSize { get; init; } = 30522;

    public int Batch { get; init; } = 16;

    public int Length { get; init; } = 128;

    /// <summary>Timed steps per technique. Default 5; at least 1.</summary>
    public int Steps { get; init; } = 5;

    /// <summary>Untimed steps first. Default 2.</summary>
    public int WarmupSteps { get; init; } = 2;

    /// <summary>
    /// Sides of the square fp32 matmuls that probe peak FLOP/s; the peak is the best of them.
    /// Default 1024, 2048 and 4096: 1024³ under-reads a machine whose kernels need larger tiles.
    /// </summary>
    public IReadOnlyList<int> MatmulSizes { get; init; } = [1024, 2048, 4096];

    /// <summary>Timed matmuls per size, after one untimed warm-up; the best counts. Default 5; at least 1.</summary>
    public int MatmulRepetitions { get; init; } = 5;

    /// <summary>LoRA rank on query and value. Default 8.</summary>
    public int LoraRank { get; init; } = 8;

    /// <summary>Dropout on the adapters' input. Default 0.05 (<see cref="Lora.LoraOptions"/>'s); within [0, 1).</summary>
    public double LoraDropout { get; init; } = 0.05;
}

/// <summary>One technique's measured step (the median of its timed steps), with its phases' medians.</summary>
public sealed record StepMeasurement(string Technique, double SecondsPerStep, double ExamplesPerSecond, double TokensPerSecond, double AchievedGflops, double Utilisation)
{
    /// <summary>Forward pass and loss.</summary>
    public double ForwardSeconds { get; init; }

    /// <summary><c>zero_grad</c> and the backward pass.</summary>
    public double BackwardSeconds { get; init; }

    /// <summary>The AdamW update.</summary>
    public double OptimizerSeconds { get; init; }

    /// <summary>
    /// Process CPU time per step (all threads). On a machine shared with other work, wall time
    /// grows with everyone's load, CPU time far less, so the CPU ratio is the steadier comparison.
    /// </summary>
    public double CpuSecondsPerStep { get; init; }
}

/// <summary>One matmul probe: the best of its timed repetitions.</summary>
public sealed record MatmulMeasurement(int Size, double BestSeconds, double Gflops);

/// <summary>The benchmark's figures: matmul peak, full and LoRA steps, and LoRA's step time relative to full.</summary>
public sealed record TrainBenchmarkResult(double MatmulPeakGflops, StepMeasurement Full, StepMeasurement Lora)
{
    /// <summary>Each probed matmul size; <see cref="MatmulPeakGflops"/> is the best of them.</summary>
    public IReadOnlyList<MatmulMeasurement> Matmul { get; init; } = [];

    /// <summary>LoRA step time ÷ full step time (target ≤ 0.6).</summary>
    public double LoraToFullStepRatio => Lora.SecondsPerStep / Full.SecondsPerStep;

    /// <summary>LoRA CPU time per step ÷ full CPU time per step.</summary>
    public double LoraToFullCpuRatio => Full.CpuSecondsPerStep > 0 ? Lora.CpuSecondsPerStep / Full.CpuSecondsPerStep : double.NaN;
}
