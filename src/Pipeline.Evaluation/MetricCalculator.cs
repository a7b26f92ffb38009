namespace Pipeline.Evaluation;

/// <summary>Computes <see cref="ClassificationMetrics"/> from predictions, and scalar metrics on resampled rows.</summary>
public static class MetricCalculator
{
    /// <summary>The number of equal-width confidence bins of the expected calibration error.</summary>
    public const int CalibrationBins = 15;

    /// <summary>Scores one model on one task.</summary>
    /// <exception cref="EvaluationException">The predictions are not valid (see <see cref="PredictionRow"/>).</exception>
    public static ClassificationMetrics Compute(TaskPredictions predictions, string modelName = "model") =>
        Compute(ScoredRows.From(predictions, modelName));

    internal static ClassificationMetrics Compute(ScoredRows rows)
    {
        var all = AllIndices(rows.Count);
        var k = rows.LabelCount;
        var confusion = new int[k][];
        for (var t = 0; t < k; t++)
        {
            confusion[t] = new int[k];
        }

        for (var i = 0; i < rows.Count; i++)
        {
            confusion[rows.TrueLabels[i]][rows.Predicted[i]]++;
        }

        var counts = Count(rows, all);
        var perClass = new ClassMetrics[k];
        for (var c = 0; c < k; c++)
        {
            var (p, r, f) = Prf(counts.Tp[c], counts.Predicted[c], counts.Support[c]);
            perClass[c] = new ClassMetrics(rows.LabelNames[c], p, r, f, counts.Support[c], counts.Predicted[c]);
        }

        return new ClassificationMetrics(
            rows.Task,
            rows.Count,
            Accuracy(counts),
            Macro(counts, MacroKind.Precision),
            Macro(counts, MacroKind.Recall),
            Macro(counts, MacroKind.F1),
            MicroF1(counts),
            ExpectedCalibrationError(rows, all),
            MeanLoss(rows, all),
            perClass,
            confusion);
    }

    /// <summary>
    /// Every scalar metric over the rows at <paramref name="indices"/> (repeats allowed, as in a
    /// bootstrap resample), in <see cref="MetricNames.All"/> order, from one pass over the rows.
    /// </summary>
    internal static void ScalarAll(ScoredRows rows, int[] indices, Span<double> values)
    {
        var counts = Count(rows, indices);
        values[0] = Accuracy(counts);
        values[1] = Macro(counts, MacroKind.F1);
        values[2] = MicroF1(counts);
        values[3] = Macro(counts, MacroKind.Precision);
        values[4] = Macro(counts, MacroKind.Recall);
        values[5] = ExpectedCalibrationError(rows, indices);
        values[6] = MeanLoss(rows, indices);
    }

    internal static int[] AllIndices(int n)
    {
        var all = new int[n];
        for (var i = 0; i < n; i++)
        {
            all[i] = i;
        }

        return all;
    }

    private static Counts Count(ScoredRows rows, int[] indices)
    {
        var k = rows.LabelCount;
        var counts = new Counts(new int[k], new int[k], new int[k], indices.Length);
        foreach (var i in indices)
        {
            var t = rows.TrueLabels[i];
            var p = rows.Predicted[i];
            counts.Support[t]++;
            counts.Predicted[p]++;
            if (t == p)
            {
                counts.Tp[t]++;
            }
        }

        return counts;
    }

    private static (double Precision, double Recall, double F1) Prf(int tp, int predicted, int support)
    {
        var precision = predicted == 0 ? 0.0 : (double)tp / predicted;
        var recall = support == 0 ? 0.0 : (double)tp / support;
        var f1 = precision + recall == 0 ? 0.0 : 2 * precision * recall / (precision + recall);
        return (precision, recall, f1);
    }

    private static double Accuracy(Counts counts) => counts.Total == 0 ? 0.0 : (double)counts.Tp.Sum() / counts.Total;

    private static double MicroF1(Counts counts)
    {
        // Pooled over labels: TP = Σtp, FP = FN = n − TP for single-label rows, so micro P = R = F1.
        var tp = counts.Tp.Sum();
        var predicted = counts.Predicted.Sum();
        var support = counts.Support.Sum();
        return Prf(tp, predicted, support).F1;
    }

    private static double Macro(Counts counts, MacroKind kind)
    {
        var sum = 0.0;
        var present = 0;
        for (var c = 0; c < counts.Tp.Length; c++)
        {
            if (counts.Support[c] == 0 && counts.Predicted[c] == 0)
            {
                continue;
            }

            var (p, r, f) = Prf(counts.Tp[c], counts.Predicted[c], counts.Support[c]);
            sum += kind switch
            {
                MacroKind.Precision => p,
                MacroKind.Recall => r,
                _ => f,
            };
            present++;
        }

        return present == 0 ? 0.0 : sum / present;
    }

    private static double ExpectedCalibrationError(ScoredRows rows, int[] indices)
    {
        var count = new int[CalibrationBins];
        var correct = new int[CalibrationBins];
        var confidence = new double[CalibrationBins];
        foreach (var i in indices)
        {
            var c = rows.Confidence[i];
            var bin = Math.Clamp((int)Math.Ceiling(c * CalibrationBins) - 1, 0, CalibrationBins - 1);
            count[bin]++;
            confidence[bin] += c;
            if (rows.Predicted[i] == rows.TrueLabels[i])
            {
                correct[bin]++;
            }
        }

        var ece = 0.0;
        for (var b = 0; b < CalibrationBins; b++)
        {
            if (count[b] > 0)
            {
                ece += Math.Abs(correct[b] - confidence[b]) / indices.Length;
            }
        }

        return ece;
    }

    private static double MeanLoss(ScoredRows rows, int[] indices)
    {
        var sum = 0.0;
        foreach (var i in indices)
        {
            sum += rows.Loss[i];
        }

        return indices.Length == 0 ? 0.0 : sum / indices.Length;
    }

    private enum MacroKind
    {
        Precision,
        Recall,
        F1,
    }

    private sealed record Counts(int[] Tp, int[] Predicted, int[] Support, int Total);
}
