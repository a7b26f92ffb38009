namespace Pipeline.Evaluation;

/// <summary>
/// Precision, recall and F1 of one label, one-vs-rest.
/// A label that is never predicted has precision 0; one with no true rows has recall 0; F1 is 0
/// when precision + recall is 0 (scikit-learn's <c>zero_division=0</c>).
/// </summary>
/// <param name="Label">The label's name.</param>
/// <param name="Precision">TP / (TP + FP), 0 when the label is never predicted.</param>
/// <param name="Recall">TP / (TP + FN), 0 when the label has no true rows.</param>
/// <param name="F1">2PR / (P + R), 0 when P + R = 0.</param>
/// <param name="Support">The number of rows whose true label is this label.</param>
/// <param name="PredictedCount">The number of rows predicted as this label.</param>
public sealed record ClassMetrics(string Label, double Precision, double Recall, double F1, int Support, int PredictedCount)
{
    /// <summary>True when the label occurs neither as a true nor as a predicted label; such labels are left out of the macro averages.</summary>
    public bool Absent => Support == 0 && PredictedCount == 0;
}

/// <summary>
/// The metrics of one model on one task.
/// Macro averages are unweighted means over the labels that occur as a true or a predicted label
/// (scikit-learn's default label set); labels absent from both are listed with zeros and left out.
/// </summary>
/// <param name="Task">The task's name.</param>
/// <param name="RowCount">The number of test rows.</param>
/// <param name="Accuracy">Share of rows whose arg-max label is the true label.</param>
/// <param name="MacroPrecision">Mean precision over the present labels.</param>
/// <param name="MacroRecall">Mean recall over the present labels.</param>
/// <param name="MacroF1">Mean F1 over the present labels.</param>
/// <param name="MicroF1">F1 of the pooled counts; equals accuracy for single-label classification.</param>
/// <param name="ExpectedCalibrationError">ECE over 15 equal-width bins of the max probability: Σ |B|/n · |acc(B) − conf(B)|, bins (i/15, (i+1)/15], a confidence of 0 in the first bin.</param>
/// <param name="MeanLoss">Mean cross-entropy −ln p(true label), the probability clamped to 1e-12.</param>
/// <param name="PerClass">One entry per label, in label-id order.</param>
/// <param name="ConfusionMatrix">Counts by [true label][predicted label].</param>
public sealed record ClassificationMetrics(
    string Task,
    int RowCount,
    double Accuracy,
    double MacroPrecision,
    double MacroRecall,
    double MacroF1,
    double MicroF1,
    double ExpectedCalibrationError,
    double MeanLoss,
    IReadOnlyList<ClassMetrics> PerClass,
    IReadOnlyList<IReadOnlyList<int>> ConfusionMatrix)
{
    /// <summary>The value of a scalar metric by its name in <see cref="MetricNames"/>.</summary>
    public double Get(string metric) => metric switch
    {
        MetricNames.Accuracy => Accuracy,
        MetricNames.MacroF1 => MacroF1,
        MetricNames.MicroF1 => MicroF1,
        MetricNames.MacroPrecision => MacroPrecision,
        MetricNames.MacroRecall => MacroRecall,
        MetricNames.ExpectedCalibrationError => ExpectedCalibrationError,
        MetricNames.Loss => MeanLoss,
        _ => throw MetricNames.Unknown(metric),
    };
}
