using Pipeline.Configuration;
using Pipeline.Evaluation.Statistics;

namespace Pipeline.Evaluation;

/// <summary>
/// Scores the challenger, and the champion on exactly the same rows when there is one, with
/// paired bootstrap intervals of every difference and McNemar's exact test on accuracy.
/// </summary>
public static class Evaluator
{
    /// <summary>Evaluates the challenger alone (no champion yet) or against the champion.</summary>
    /// <param name="challenger">The new model's predictions on the test split.</param>
    /// <param name="champion">The current champion's predictions on the same rows, or null when there is none.</param>
    /// <param name="bootstrap">The <c>evaluate.bootstrap</c> settings.</param>
    /// <exception cref="EvaluationException">Invalid predictions, or the two models were not scored on the same tasks, labels and rows.</exception>
    public static EvaluationResult Evaluate(ModelPredictions challenger, ModelPredictions? champion, BootstrapOptions bootstrap)
    {
        ArgumentNullException.ThrowIfNull(challenger);
        ArgumentNullException.ThrowIfNull(bootstrap);
        PairedBootstrap.Validate(bootstrap);
        if (challenger.Tasks.Count == 0)
        {
            throw new EvaluationException($"Model '{challenger.ModelName}' has no task predictions.");
        }

        var duplicate = challenger.Tasks.GroupBy(t => t.Task, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new EvaluationException($"Model '{challenger.ModelName}' has two prediction sets for task '{duplicate.Key}'.");
        }

        var tasks = new List<TaskComparison>();
        foreach (var task in challenger.Tasks)
        {
            var challengerRows = ScoredRows.From(task, challenger.ModelName);
            var challengerMetrics = MetricCalculator.Compute(challengerRows);
            if (champion is null)
            {
                var alone = MetricNames.All
                    .Select(m => new MetricComparison(task.Task, m, challengerMetrics.Get(m), null, null, null))
                    .ToList();
                tasks.Add(new TaskComparison(task.Task, challengerMetrics, null, alone, null));
                continue;
            }

            var championTask = champion.Tasks.FirstOrDefault(t => t.Task == task.Task)
                ?? throw new EvaluationException($"Champion '{champion.ModelName}' has no predictions for task '{task.Task}'; both models must be scored on the same tasks.");
            var championRows = Pair(ScoredRows.From(championTask, champion.ModelName), challengerRows, champion.ModelName, challenger.ModelName);
            var championMetrics = MetricCalculator.Compute(championRows);
            var intervals = PairedBootstrap.Differences(championRows, challengerRows, MetricNames.All, bootstrap);
            var metrics = MetricNames.All
                .Select(m => new MetricComparison(
                    task.Task, m, challengerMetrics.Get(m), championMetrics.Get(m), challengerMetrics.Get(m) - championMetrics.Get(m), intervals[m]))
                .ToList();
            tasks.Add(new TaskComparison(task.Task, challengerMetrics, championMetrics, metrics, McNemarExact.Test(championRows, challengerRows)));
        }

        return new EvaluationResult(challenger.ModelName, champion?.ModelName, tasks);
    }

    /// <summary>The champion's rows in the challenger's order, after checking both cover the same rows, labels and true labels.</summary>
    internal static ScoredRows Pair(ScoredRows champion, ScoredRows challenger, string championName, string challengerName)
    {
        if (!champion.LabelNames.SequenceEqual(challenger.LabelNames, StringComparer.Ordinal))
        {
            throw new EvaluationException(
                $"Task '{challenger.Task}': champion '{championName}' has labels [{string.Join(", ", champion.LabelNames)}] but challenger '{challengerName}' has [{string.Join(", ", challenger.LabelNames)}]; both must use the same label map.");
        }

        var championIds = champion.RowIds.ToHashSet(StringComparer.Ordinal);
        var missing = challenger.RowIds.Where(id => !championIds.Contains(id)).ToList();
        var challengerIds = challenger.RowIds.ToHashSet(StringComparer.Ordinal);
        var extra = champion.RowIds.Where(id => !challengerIds.Contains(id)).ToList();
        if (missing.Count > 0 || extra.Count > 0)
        {
            throw new EvaluationException(
                $"Task '{challenger.Task}': the models were scored on different rows ({missing.Count} only in challenger '{challengerName}', e.g. [{string.Join(", ", missing.Take(5))}]; {extra.Count} only in champion '{championName}', e.g. [{string.Join(", ", extra.Take(5))}]). Score both on the same test split.");
        }

        var paired = champion.Reorder(challenger.RowIds);
        for (var i = 0; i < paired.Count; i++)
        {
            if (paired.TrueLabels[i] != challenger.TrueLabels[i])
            {
                throw new EvaluationException(
                    $"Task '{challenger.Task}', row '{paired.RowIds[i]}': the champion's true label is {paired.TrueLabels[i]} but the challenger's is {challenger.TrueLabels[i]}; both must be scored on the same test split.");
            }
        }

        return paired;
    }
}
