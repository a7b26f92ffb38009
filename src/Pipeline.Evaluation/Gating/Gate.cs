using System.Globalization;
using Pipeline.Configuration;

namespace Pipeline.Evaluation.Gating;

/// <summary>
/// Applies the <c>evaluate.gates</c> rules to an <see cref="EvaluationResult"/>.
/// <list type="bullet">
/// <item><c>min</c>: the challenger's value is at least the floor (higher-is-better metrics only).</item>
/// <item><c>max_drop</c>: challenger ≥ champion − max_drop on the point estimates (≤ champion + max_drop for <c>ece</c> and <c>loss</c>).</item>
/// <item><c>significant_improvement</c>: the interval's lower bound of challenger − champion is above 0 (upper bound below 0 for <c>ece</c> and <c>loss</c>); when it is not, the verdict is pass as challenger.</item>
/// </list>
/// Without a champion only <c>min</c> applies; the others are reported as not applicable.
/// A metric without a task prefix applies to every task; <c>task/metric</c> to one.
/// </summary>
public static class Gate
{
    /// <summary>Checks every rule and derives the verdict: Fail if any rule fails, else PassAsChallenger if an improvement is not significant, else Pass.</summary>
    /// <exception cref="EvaluationException">A rule names an unknown metric or task, has no condition, or uses <c>min</c> on a lower-is-better metric.</exception>
    public static GateResult Apply(EvaluationResult result, IReadOnlyList<GateRuleOptions> rules)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(rules);
        var multitask = result.Tasks.Count > 1;
        var checks = new List<RuleCheck>();
        for (var r = 0; r < rules.Count; r++)
        {
            var rule = rules[r];
            var (taskName, metric) = Parse(rule.Metric, r);
            if (rule.Min is null && rule.MaxDrop is null && !rule.SignificantImprovement)
            {
                throw new EvaluationException($"evaluate.gates[{r}] ({rule.Metric}) has no condition; set one of min, max_drop or significant_improvement: true.");
            }

            var tasks = taskName is null
                ? result.Tasks
                : result.Tasks.Where(t => t.Task == taskName).ToList();
            if (tasks.Count == 0)
            {
                throw new EvaluationException($"evaluate.gates[{r}] names task '{taskName}', which the model does not have; tasks: {string.Join(", ", result.Tasks.Select(t => t.Task))}.");
            }

            foreach (var task in tasks)
            {
                var shown = multitask ? $"{task.Task}/{metric}" : metric;
                var comparison = task.Get(metric);
                if (rule.Min is { } min)
                {
                    checks.Add(CheckMin(r, rule, shown, comparison, min));
                }

                if (rule.MaxDrop is { } maxDrop)
                {
                    checks.Add(CheckMaxDrop(r, shown, comparison, maxDrop));
                }

                if (rule.SignificantImprovement)
                {
                    checks.Add(CheckSignificance(shown, comparison));
                }
            }
        }

        var verdict = checks.Any(c => c.Outcome == RuleOutcome.Fail) ? GateVerdict.Fail
            : checks.Any(c => c.Outcome == RuleOutcome.NotSignificant) ? GateVerdict.PassAsChallenger
            : GateVerdict.Pass;
        return new GateResult(verdict, checks);
    }

    internal static string Format(double value) => value.ToString("0.0###", CultureInfo.InvariantCulture);

    internal static string FormatSigned(double value) => (value >= 0 ? "+" : "") + Format(value);

    private static (string? Task, string Metric) Parse(string metric, int index)
    {
        if (string.IsNullOrWhiteSpace(metric))
        {
            throw new EvaluationException($"evaluate.gates[{index}].metric is empty; name a metric: {string.Join(", ", MetricNames.All)}.");
        }

        var slash = metric.IndexOf('/', StringComparison.Ordinal);
        var (task, name) = slash < 0 ? (null, metric) : (metric[..slash], metric[(slash + 1)..]);
        if (!MetricNames.All.Contains(name))
        {
            throw new EvaluationException($"evaluate.gates[{index}].metric '{metric}' is unknown; use one of: {string.Join(", ", MetricNames.All)} (prefix 'task/' for one task of a multitask model).");
        }

        return (task, name);
    }

    private static RuleCheck CheckMin(int index, GateRuleOptions rule, string shown, MetricComparison c, double min)
    {
        if (!MetricNames.HigherIsBetter(c.Metric))
        {
            throw new EvaluationException($"evaluate.gates[{index}]: min applies to metrics where higher is better; '{rule.Metric}' is lower-is-better. Use max_drop or significant_improvement for it.");
        }

        var outcome = c.Challenger >= min ? RuleOutcome.Pass : RuleOutcome.Fail;
        return new RuleCheck(c.Task, shown, $"{shown} >= {Format(min)}", outcome, c.Challenger, c.Champion, c.Delta, c.Interval, $"got {Format(c.Challenger)}");
    }

    private static RuleCheck CheckMaxDrop(int index, string shown, MetricComparison c, double maxDrop)
    {
        if (maxDrop < 0)
        {
            throw new EvaluationException($"evaluate.gates[{index}].max_drop is {maxDrop}; it must be >= 0.");
        }

        var higher = MetricNames.HigherIsBetter(c.Metric);
        var condition = higher ? $"{shown} >= champion - {Format(maxDrop)}" : $"{shown} <= champion + {Format(maxDrop)}";
        if (c.Champion is not { } champion)
        {
            return new RuleCheck(c.Task, shown, condition, RuleOutcome.NotApplicable, c.Challenger, null, null, null, "not applicable (no champion)");
        }

        var holds = higher ? c.Challenger >= champion - maxDrop : c.Challenger <= champion + maxDrop;
        var detail = $"got {Format(c.Challenger)}, champion {Format(champion)}, delta {FormatSigned(c.Challenger - champion)}";
        return new RuleCheck(c.Task, shown, condition, holds ? RuleOutcome.Pass : RuleOutcome.Fail, c.Challenger, champion, c.Delta, c.Interval, detail);
    }

    private static RuleCheck CheckSignificance(string shown, MetricComparison c)
    {
        var higher = MetricNames.HigherIsBetter(c.Metric);
        var condition = higher
            ? $"{shown} improves significantly (CI lower bound > 0)"
            : $"{shown} improves significantly (CI upper bound < 0)";
        if (c.Champion is null || c.Interval is null || c.Delta is null)
        {
            return new RuleCheck(c.Task, shown, condition, RuleOutcome.NotApplicable, c.Challenger, null, null, null, "not applicable (no champion)");
        }

        var ci = c.Interval;
        var holds = higher ? ci.Lower > 0 : ci.Upper < 0;
        var detail = $"delta {FormatSigned(c.Delta.Value)}, {ci.Confidence.ToString("P0", CultureInfo.InvariantCulture).Replace(" ", "", StringComparison.Ordinal)} CI [{Format(ci.Lower)}, {Format(ci.Upper)}]";
        return new RuleCheck(c.Task, shown, condition, holds ? RuleOutcome.Pass : RuleOutcome.NotSignificant, c.Challenger, c.Champion, c.Delta, ci, detail);
    }
}
