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

    /// <summary>Side of the square fp32 matmul that probes peak FLOP/s. Default 1024.</summary>
    public int MatmulSize { get; init; } = 1024;

    /// <summary>LoRA rank on query and value. Default 8.</summary>
    public int LoraRank { get; init; } = 8;
}

/// <summary>One technique's measured step.</summary>
public sealed record StepMeasurement(string Technique, double SecondsPerStep, double ExamplesPerSecond, double TokensPerSecond, double AchievedGflops, double Utilisation);

/// <summary>The benchmark's figures: matmul peak, full and LoRA steps, and LoRA's step time relative to full.</summary>
public sealed record TrainBenchmarkResult(double MatmulPeakGflops, StepMeasurement Full, StepMeasurement Lora)
{
    /// <summary>LoRA step time ÷ full step time (target ≤ 0.6).</summary>
    public double LoraToFullStepRatio => Lora.SecondsPerStep / Full.SecondsPerStep;
}
