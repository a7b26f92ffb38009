namespace Pipeline.Configuration;

/// <summary>The <c>evaluate</c> section: significance testing and the gates a new model must pass.</summary>
public sealed record EvaluateOptions
{
    /// <summary>Paired bootstrap confidence intervals for the difference with the champion.</summary>
    [ConfigDescription("Paired bootstrap confidence intervals for the difference with the champion.")]
    public BootstrapOptions Bootstrap { get; init; } = new();

    /// <summary>
    /// Gate rules, all of which must pass. Default: macro_f1 >= 0.80, accuracy may drop at most
    /// 0.01 below the champion, macro_f1 must improve significantly to become champion.
    /// </summary>
    [ConfigDescription("Gate rules, all of which must pass. Default: macro_f1 min 0.80; accuracy max_drop 0.01; macro_f1 significant_improvement.")]
    public IReadOnlyList<GateRuleOptions> Gates { get; init; } =
    [
        new GateRuleOptions { Metric = "macro_f1", Min = 0.80 },
        new GateRuleOptions { Metric = "accuracy", MaxDrop = 0.01 },
        new GateRuleOptions { Metric = "macro_f1", SignificantImprovement = true },
    ];
}

/// <summary>The <c>evaluate.bootstrap</c> section.</summary>
public sealed record BootstrapOptions
{
    /// <summary>Bootstrap resamples. Default 2000; must be >= 100.</summary>
    [ConfigDescription("Bootstrap resamples. Default 2000; must be >= 100.")]
    [ConfigRange(Min = 100)]
    public int Resamples { get; init; } = 2000;

    /// <summary>Seed of the resampling. Default 13.</summary>
    [ConfigDescription("Seed of the resampling. Default 13.")]
    public long Seed { get; init; } = 13;

    /// <summary>Confidence level of the intervals. Default 0.95; within (0, 1).</summary>
    [ConfigDescription("Confidence level of the intervals. Default 0.95; within (0, 1).")]
    [ConfigRange(Min = 0, Max = 1, MinExclusive = true, MaxExclusive = true)]
    public double Confidence { get; init; } = 0.95;
}

/// <summary>
/// One entry of <c>evaluate.gates</c>: a metric and exactly one of <c>min</c>, <c>max_drop</c>
/// or <c>significant_improvement: true</c>.
/// </summary>
[ConfigExactlyOne("min", "max_drop", "significant_improvement")]
public sealed record GateRuleOptions
{
    /// <summary>The test-split metric, e.g. <c>macro_f1</c>, <c>accuracy</c>. Required.</summary>
    [ConfigDescription("The test-split metric, e.g. macro_f1, accuracy. Required.")]
    public required string Metric { get; init; }

    /// <summary>Absolute floor: the metric must be at least this. Default: none; within [0, 1].</summary>
    [ConfigDescription("Absolute floor: the metric must be at least this. Default: none; within [0, 1].")]
    [ConfigRange(Min = 0, Max = 1)]
    public double? Min { get; init; }

    /// <summary>The metric may not fall more than this below the champion's. Default: none; within [0, 1].</summary>
    [ConfigDescription("The metric may not fall more than this below the champion's. Default: none; within [0, 1].")]
    [ConfigRange(Min = 0, Max = 1)]
    public double? MaxDrop { get; init; }

    /// <summary>
    /// The improvement over the champion must be significant (bootstrap interval above 0) for the
    /// model to become champion; otherwise it is registered as challenger. Default false.
    /// </summary>
    [ConfigDescription("The improvement over the champion must be significant (bootstrap interval above 0) for the model to become champion; otherwise it is registered as challenger. Default false.")]
    public bool SignificantImprovement { get; init; }
}
