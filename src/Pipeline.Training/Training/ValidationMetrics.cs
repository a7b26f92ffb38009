namespace Pipeline.Training.Training;

/// <summary>Validation results: loss, and per task accuracy and macro-F1; <see cref="MacroF1"/> averages the tasks.</summary>
public sealed record ValidationMetrics(double Loss, IReadOnlyDictionary<string, double> Accuracy, IReadOnlyDictionary<string, double> TaskMacroF1)
{
    /// <summary>Mean macro-F1 over tasks: the metric early stopping and keep-best use.</summary>
    public double MacroF1 => TaskMacroF1.Count == 0 ? 0 : TaskMacroF1.Values.Average();

    /// <summary>Macro-F1 from per-class true-positive, false-positive and false-negative counts (classes with no support and no prediction are skipped).</summary>
    internal static double MacroF1From(long[] tp, long[] fp, long[] fn)
    {
        var scores = new List<double>();
        for (var c = 0; c < tp.Length; c++)
        {
            if (tp[c] + fp[c] + fn[c] == 0)
            {
                continue;
            }

            scores.Add(2.0 * tp[c] / ((2.0 * tp[c]) + fp[c] + fn[c]));
        }

        return scores.Count == 0 ? 0 : scores.Average();
    }
}
