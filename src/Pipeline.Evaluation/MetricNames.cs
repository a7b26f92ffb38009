namespace Pipeline.Evaluation;

/// <summary>The scalar metrics that gate rules and comparisons can name (the keys used in <c>pipeline.yaml</c>).</summary>
public static class MetricNames
{
    public const string Accuracy = "accuracy";
    public const string MacroF1 = "macro_f1";
    public const string MicroF1 = "micro_f1";
    public const string MacroPrecision = "macro_precision";
    public const string MacroRecall = "macro_recall";
    public const string ExpectedCalibrationError = "ece";
    public const string Loss = "loss";

    /// <summary>Every metric name, in report order (the order <c>MetricCalculator.ScalarAll</c> fills).</summary>
    public static IReadOnlyList<string> All { get; } =
        [Accuracy, MacroF1, MicroF1, MacroPrecision, MacroRecall, ExpectedCalibrationError, Loss];

    /// <summary>True for metrics where a larger value is better; false for <c>ece</c> and <c>loss</c>.</summary>
    public static bool HigherIsBetter(string metric) => metric switch
    {
        ExpectedCalibrationError or Loss => false,
        _ when All.Contains(metric) => true,
        _ => throw Unknown(metric),
    };

    internal static EvaluationException Unknown(string metric) =>
        new($"Unknown metric '{metric}'; use one of: {string.Join(", ", All)} (prefix 'task/' for one task of a multitask model).");
}
