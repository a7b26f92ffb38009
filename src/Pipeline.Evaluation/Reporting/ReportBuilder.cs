using System.Globalization;
using System.Text;
using Pipeline.Configuration;
using Pipeline.Evaluation.Gating;

namespace Pipeline.Evaluation.Reporting;

/// <summary>Assembles the <see cref="ReportDocument"/> from the evaluation, the gate and the other stages' inputs.</summary>
public static class ReportBuilder
{
    /// <summary>Builds the report's content; <see cref="ReportWriter"/> writes it.</summary>
    /// <param name="result">The evaluation of the challenger (and champion).</param>
    /// <param name="gate">The gate's verdict on <paramref name="result"/>.</param>
    /// <param name="challenger">The challenger's predictions, for the error analysis.</param>
    /// <param name="bootstrap">The bootstrap settings the intervals were computed with.</param>
    /// <param name="inputs">Sections and data from other stages; null for none.</param>
    public static ReportDocument Build(
        EvaluationResult result, GateResult gate, ModelPredictions challenger, BootstrapOptions bootstrap, ReportInputs? inputs = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(challenger);
        ArgumentNullException.ThrowIfNull(bootstrap);
        inputs ??= new ReportInputs();
        Validate(inputs);

        var tasks = new List<TaskReport>();
        var charts = new List<string>();
        var drawn = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var task in result.Tasks)
        {
            var predictions = challenger.Tasks.First(t => t.Task == task.Task);
            var rows = ScoredRows.From(predictions, challenger.ModelName);
            var misclassified = Misclassified(rows, inputs);
            string? grid = null;
            if (inputs.RowImages is { } images && misclassified.Count > 0)
            {
                grid = ChartNames.Misclassified(task.Task, result.Tasks.Count > 1);
                drawn[grid] = ThumbnailGrid.Draw(misclassified, images);
                charts.Add(grid);
            }

            tasks.Add(new TaskReport(
                task.Task,
                task.Challenger.RowCount,
                task.Metrics,
                task.McNemar,
                PerClass(task),
                predictions.LabelNames,
                task.Challenger.ConfusionMatrix,
                MostConfused(task, predictions.LabelNames, inputs.ConfusedPairs),
                misclassified) { MisclassifiedGrid = grid });
            charts.Add(ChartNames.ConfusionMatrix(task.Task, result.Tasks.Count > 1));
            charts.Add(ChartNames.PerClassF1(task.Task, result.Tasks.Count > 1));
        }

        if (inputs.LossCurve is { Count: > 0 })
        {
            charts.Add(ChartNames.Loss);
        }

        return new ReportDocument(
            gate.VerdictText,
            gate.Verdict,
            gate.FailureMessage,
            result.ChallengerName,
            result.ChampionName,
            new BootstrapSummary(bootstrap.Resamples, bootstrap.Seed, bootstrap.Confidence),
            tasks,
            gate.Checks,
            inputs.DataQualityMarkdown,
            inputs.TrainingFactsMarkdown,
            inputs.Lineage,
            inputs.LossCurve,
            charts) { Drawn = drawn };
    }

    /// <summary>Cuts <paramref name="text"/> to <paramref name="length"/> characters (an ellipsis marks the cut) on one line.</summary>
    internal static string Truncate(string text, int length)
    {
        var oneLine = new StringBuilder(text.Length);
        foreach (var ch in text)
        {
            oneLine.Append(char.IsWhiteSpace(ch) ? ' ' : ch);
        }

        var flat = oneLine.ToString().Trim();
        var info = new StringInfo(flat);
        return info.LengthInTextElements <= length ? flat : info.SubstringByTextElements(0, length - 1) + "…";
    }

    private static void Validate(ReportInputs inputs)
    {
        if (inputs.MisclassifiedSample is < 0 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(inputs), inputs.MisclassifiedSample, "ReportInputs.MisclassifiedSample must be within [0, 1000].");
        }

        if (inputs.ConfusedPairs is < 0 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(inputs), inputs.ConfusedPairs, "ReportInputs.ConfusedPairs must be within [0, 1000].");
        }

        if (inputs.TextLength is < 20 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(inputs), inputs.TextLength, "ReportInputs.TextLength must be within [20, 10000].");
        }
    }

    private static List<ClassDelta> PerClass(TaskComparison task)
    {
        var list = new List<ClassDelta>();
        for (var c = 0; c < task.Challenger.PerClass.Count; c++)
        {
            var mine = task.Challenger.PerClass[c];
            var theirs = task.Champion?.PerClass[c];
            list.Add(new ClassDelta(mine.Label, mine.Precision, mine.Recall, mine.F1, mine.Support, theirs?.F1, theirs is null ? null : mine.F1 - theirs.F1));
        }

        // Largest change first; without a champion, weakest label first.
        return task.Champion is null
            ? [.. list.OrderBy(d => d.F1).ThenBy(d => d.Label, StringComparer.Ordinal)]
            : [.. list.OrderByDescending(d => Math.Abs(d.F1Delta!.Value)).ThenBy(d => d.Label, StringComparer.Ordinal)];
    }

    private static List<ConfusedPair> MostConfused(TaskComparison task, IReadOnlyList<string> labels, int take)
    {
        var pairs = new List<ConfusedPair>();
        var matrix = task.Challenger.ConfusionMatrix;
        for (var t = 0; t < matrix.Count; t++)
        {
            for (var p = 0; p < matrix[t].Count; p++)
            {
                if (t != p && matrix[t][p] > 0)
                {
                    pairs.Add(new ConfusedPair(labels[t], labels[p], matrix[t][p]));
                }
            }
        }

        return [.. pairs.OrderByDescending(x => x.Count).ThenBy(x => x.True, StringComparer.Ordinal).ThenBy(x => x.Predicted, StringComparer.Ordinal).Take(take)];
    }

    private static List<MisclassifiedRow> Misclassified(ScoredRows rows, ReportInputs inputs)
    {
        // The most confident mistakes first: they say most about what the model learned wrong.
        return [.. Enumerable.Range(0, rows.Count)
            .Where(i => rows.Predicted[i] != rows.TrueLabels[i])
            .OrderByDescending(i => rows.Confidence[i])
            .ThenBy(i => rows.RowIds[i], StringComparer.Ordinal)
            .Take(inputs.MisclassifiedSample)
            .Select(i => new MisclassifiedRow(
                rows.RowIds[i],
                rows.LabelNames[rows.TrueLabels[i]],
                rows.LabelNames[rows.Predicted[i]],
                rows.Confidence[i],
                Text(rows.RowIds[i], inputs)))];
    }

    private static string? Text(string rowId, ReportInputs inputs)
    {
        if (inputs.RowTexts is null || !inputs.RowTexts.TryGetValue(rowId, out var text))
        {
            return null;
        }

        // Mask before cutting so a cut never leaves half of an e-mail address unmasked.
        var masked = inputs.MaskPii is null ? text : inputs.MaskPii(text);
        return Truncate(masked, inputs.TextLength);
    }
}
