using Pipeline.Evaluation.Gating;
using Pipeline.Evaluation.Statistics;

namespace Pipeline.Evaluation.Reporting;

/// <summary>
/// The whole report as data: report.json is this record serialized, and report.md is rendered
/// from it, so the two always carry the same numbers.
/// </summary>
public sealed record ReportDocument(
    string Verdict,
    GateVerdict VerdictCode,
    string? FailureMessage,
    string Challenger,
    string? Champion,
    BootstrapSummary Bootstrap,
    IReadOnlyList<TaskReport> Tasks,
    IReadOnlyList<RuleCheck> Rules,
    string? DataQualityMarkdown,
    string? TrainingFactsMarkdown,
    Lineage? Lineage,
    IReadOnlyList<LossPoint>? LossCurve,
    IReadOnlyList<string> Charts)
{
    /// <summary>
    /// PNG files drawn while the report was built (the misclassified-image grids), by their path
    /// relative to the report folder; <see cref="ReportWriter"/> writes them beside the charts.
    /// Not part of report.json: the paths are listed in <see cref="Charts"/>.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyDictionary<string, byte[]> Drawn { get; init; } = new Dictionary<string, byte[]>(StringComparer.Ordinal);
}

/// <summary>The bootstrap settings the intervals were computed with.</summary>
public sealed record BootstrapSummary(int Resamples, long Seed, double Confidence);

/// <summary>Everything the report shows for one task.</summary>
public sealed record TaskReport(
    string Task,
    int Rows,
    IReadOnlyList<MetricComparison> Metrics,
    McNemarResult? McNemar,
    IReadOnlyList<ClassDelta> PerClass,
    IReadOnlyList<string> Labels,
    IReadOnlyList<IReadOnlyList<int>> ConfusionMatrix,
    IReadOnlyList<ConfusedPair> MostConfused,
    IReadOnlyList<MisclassifiedRow> Misclassified)
{
    /// <summary>For image data: the grid of misclassified thumbnails (path relative to the report folder); null for text.</summary>
    public string? MisclassifiedGrid { get; init; }
}

/// <summary>One label's challenger metrics and its F1 change against the champion (null without one).</summary>
public sealed record ClassDelta(string Label, double Precision, double Recall, double F1, int Support, double? ChampionF1, double? F1Delta);

/// <summary>A (true, predicted) label pair and how many rows the challenger confused that way.</summary>
public sealed record ConfusedPair(string True, string Predicted, int Count);

/// <summary>A test row the challenger got wrong, its text cut and masked (null when no text was given).</summary>
public sealed record MisclassifiedRow(string RowId, string True, string Predicted, double Confidence, string? Text);
