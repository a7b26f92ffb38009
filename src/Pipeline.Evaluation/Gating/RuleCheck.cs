using Pipeline.Evaluation.Statistics;

namespace Pipeline.Evaluation.Gating;

/// <summary>
/// One rule applied to one task, with the numbers behind its outcome.
/// </summary>
/// <param name="Task">The task the metric was measured on.</param>
/// <param name="Metric">The metric as written in the rule, qualified with the task for multitask models (<c>intent/macro_f1</c>).</param>
/// <param name="Condition">The rule as a condition, e.g. <c>macro_f1 &gt;= 0.85</c>.</param>
/// <param name="Outcome">Whether it held.</param>
/// <param name="Challenger">The challenger's value.</param>
/// <param name="Champion">The champion's value; null without a champion.</param>
/// <param name="Delta">Challenger − champion; null without a champion.</param>
/// <param name="Interval">The bootstrap interval of the delta; null without a champion.</param>
/// <param name="Detail">The numbers, e.g. <c>got 0.812</c>.</param>
public sealed record RuleCheck(
    string Task,
    string Metric,
    string Condition,
    RuleOutcome Outcome,
    double Challenger,
    double? Champion,
    double? Delta,
    ConfidenceInterval? Interval,
    string Detail);
