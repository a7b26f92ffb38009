namespace Pipeline.Stages;

/// <summary>Where the model stages keep their outputs, relative to the artifacts folder.</summary>
public static class StageArtifacts
{
    /// <summary>Train's output folder: <c>model/</c>, <c>metrics.jsonl</c>, <c>facts.json</c>.</summary>
    public const string Train = "train";

    /// <summary>The trained model folder inside <see cref="Train"/>.</summary>
    public const string ModelFolder = "model";

    /// <summary>Per-step and per-validation records of the training run, inside <see cref="Train"/>.</summary>
    public const string MetricsFile = "metrics.jsonl";

    /// <summary>What the training run did and how fast, inside <see cref="Train"/>.</summary>
    public const string FactsFile = "facts.json";

    /// <summary>Evaluate's own folder: predictions and <c>gate.json</c>.</summary>
    public const string Evaluate = "evaluate";

    /// <summary>The gate's verdict, inside <see cref="Evaluate"/>, read by Register.</summary>
    public const string GateFile = "gate.json";

    /// <summary>The champion downloaded from the registry for comparison.</summary>
    public const string Champion = "champion";

    /// <summary>The review report (Markdown) at the artifacts root.</summary>
    public const string ReportMarkdown = "report.md";

    /// <summary>The review report (JSON) at the artifacts root.</summary>
    public const string ReportJson = "report.json";

    /// <summary>The full path of <paramref name="relative"/> under the run's artifacts folder.</summary>
    public static string PathOf(StageSettings settings, params string[] relative)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Path.Combine([settings.ResolvedArtifactsDirectory, .. relative]);
    }
}
