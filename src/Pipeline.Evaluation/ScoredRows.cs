namespace Pipeline.Evaluation;

/// <summary>
/// Predictions reduced to what every metric needs, one entry per row: the true label, the
/// predicted label, the confidence (max probability) and the cross-entropy loss. Metrics are
/// computed over a list of row indices so the bootstrap can reuse them on resamples.
/// </summary>
internal sealed class ScoredRows
{
    /// <summary>Probabilities are clamped to this before the log so a zero probability gives a finite loss (ln 1e-12 ≈ -27.6).</summary>
    internal const double MinProbability = 1e-12;

    private const double ProbabilitySumTolerance = 1e-3;

    private ScoredRows(string task, IReadOnlyList<string> labelNames, string[] rowIds, int[] trueLabels, int[] predicted, double[] confidence, double[] loss)
    {
        Task = task;
        LabelNames = labelNames;
        RowIds = rowIds;
        TrueLabels = trueLabels;
        Predicted = predicted;
        Confidence = confidence;
        Loss = loss;
    }

    public string Task { get; }

    public IReadOnlyList<string> LabelNames { get; }

    public int LabelCount => LabelNames.Count;

    public int Count => RowIds.Length;

    public string[] RowIds { get; }

    public int[] TrueLabels { get; }

    public int[] Predicted { get; }

    public double[] Confidence { get; }

    public double[] Loss { get; }

    /// <summary>Validates the predictions and scores each row.</summary>
    /// <exception cref="EvaluationException">No rows, no labels, a duplicate label name or row id, a label id out of range, or a probability vector that is not a distribution over K labels.</exception>
    public static ScoredRows From(TaskPredictions predictions, string modelName)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        var k = predictions.LabelNames.Count;
        var where = $"model '{modelName}', task '{predictions.Task}'";
        if (k == 0)
        {
            throw new EvaluationException($"Predictions for {where} have no label names; pass the task's label map.");
        }

        var twice = predictions.LabelNames.GroupBy(l => l, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw new EvaluationException($"Predictions for {where} name label '{twice.Key}' twice; label names must be unique.");
        }

        if (predictions.Rows.Count == 0)
        {
            throw new EvaluationException($"Predictions for {where} have no rows; the test split is empty.");
        }

        var n = predictions.Rows.Count;
        var ids = new string[n];
        var truth = new int[n];
        var predicted = new int[n];
        var confidence = new double[n];
        var loss = new double[n];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            var row = predictions.Rows[i];
            if (!seen.Add(row.RowId))
            {
                throw new EvaluationException($"Predictions for {where} contain row id '{row.RowId}' twice; row ids must be unique.");
            }

            if (row.TrueLabel < 0 || row.TrueLabel >= k)
            {
                throw new EvaluationException($"Row '{row.RowId}' of {where} has true label {row.TrueLabel}, outside 0..{k - 1}.");
            }

            if (row.Probabilities.Count != k)
            {
                throw new EvaluationException($"Row '{row.RowId}' of {where} has {row.Probabilities.Count} probabilities; expected one per label ({k}).");
            }

            var best = 0;
            var sum = 0.0;
            for (var j = 0; j < k; j++)
            {
                var p = row.Probabilities[j];
                if (!float.IsFinite(p) || p < 0)
                {
                    throw new EvaluationException($"Row '{row.RowId}' of {where} has probability {p} for label {j}; probabilities must be finite and >= 0 (apply softmax to logits).");
                }

                sum += p;
                if (p > row.Probabilities[best])
                {
                    best = j;
                }
            }

            if (Math.Abs(sum - 1.0) > ProbabilitySumTolerance)
            {
                throw new EvaluationException($"Row '{row.RowId}' of {where} has probabilities summing to {sum:G6}; they must sum to 1 (apply softmax to logits).");
            }

            ids[i] = row.RowId;
            truth[i] = row.TrueLabel;
            predicted[i] = best;
            confidence[i] = row.Probabilities[best];
            loss[i] = -Math.Log(Math.Max(row.Probabilities[row.TrueLabel], MinProbability));
        }

        return new ScoredRows(predictions.Task, predictions.LabelNames, ids, truth, predicted, confidence, loss);
    }

    /// <summary>The same rows in the order of <paramref name="rowIds"/>; every id must be present.</summary>
    public ScoredRows Reorder(IReadOnlyList<string> rowIds)
    {
        var position = new Dictionary<string, int>(Count, StringComparer.Ordinal);
        for (var i = 0; i < Count; i++)
        {
            position[RowIds[i]] = i;
        }

        var n = rowIds.Count;
        var ids = new string[n];
        var truth = new int[n];
        var predicted = new int[n];
        var confidence = new double[n];
        var loss = new double[n];
        for (var i = 0; i < n; i++)
        {
            var j = position[rowIds[i]];
            ids[i] = RowIds[j];
            truth[i] = TrueLabels[j];
            predicted[i] = Predicted[j];
            confidence[i] = Confidence[j];
            loss[i] = Loss[j];
        }

        return new ScoredRows(Task, LabelNames, ids, truth, predicted, confidence, loss);
    }
}
