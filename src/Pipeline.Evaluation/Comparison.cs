using Pipeline.Evaluation.Statistics;

namespace Pipeline.Evaluation;

/// <summary>
/// One metric of one task for both models: the values, challenger − champion and its paired
/// bootstrap interval. Champion, delta and interval are null when there is no champion.
/// </summary>
public sealed record MetricComparison(
    string Task, string Metric, double Challenger, double? Champion, double? Delta, ConfidenceInterval? Interval);

/// <summary>The challenger's (and champion's) metrics on one task, the paired differences and McNemar's test on accuracy.</summary>
public sealed record TaskComparison(
    string Task,
    ClassificationMetrics Challenger,
    ClassificationMetrics? Champion,
    IReadOnlyList<MetricComparison> Metrics,
    McNemarResult? McNemar)
{
    /// <summary>The comparison of one metric by its name in <see cref="MetricNames"/>.</summary>
    public MetricComparison Get(string metric) =>
        Metrics.FirstOrDefault(m => m.Metric == metric) ?? throw MetricNames.Unknown(metric);
}

/// <summary>Everything <see cref="Evaluator.Evaluate"/> measured: one entry per task, in the challenger's task order.</summary>
public sealed record EvaluationResult(string ChallengerName, string? ChampionName, IReadOnlyList<TaskComparison> Tasks)
{
    /// <summary>True when the challenger was compared with a champion.</summary>
    public bool HasChampion => ChampionName is not null;
}
