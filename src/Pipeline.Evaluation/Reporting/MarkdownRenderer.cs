using System.Globalization;
using System.Text;
using Pipeline.Evaluation.Gating;

namespace Pipeline.Evaluation.Reporting;

/// <summary>Renders a <see cref="ReportDocument"/> as Markdown; numbers carry 4 decimals (p-values 4 significant digits).</summary>
public static class MarkdownRenderer
{
    /// <summary>The report as Markdown.</summary>
    /// <param name="document">The report's content.</param>
    /// <param name="includeCharts">False for places that cannot show the chart files (the GitHub step summary).</param>
    public static string Render(ReportDocument document, bool includeCharts = true)
    {
        ArgumentNullException.ThrowIfNull(document);
        var md = new StringBuilder();
        var multitask = document.Tasks.Count > 1;
        var ci = Percent(document.Bootstrap.Confidence);
        md.Append("**Verdict: ").Append(document.Verdict).Append("**");
        md.Append(document.VerdictCode switch
        {
            GateVerdict.Pass when document.Champion is null => " (no champion yet: the first model becomes champion on absolute floors)",
            GateVerdict.Pass => " (becomes champion)",
            GateVerdict.PassAsChallenger => " (no rule failed, but the improvement is not significant: registered as challenger)",
            _ => $" ({document.FailureMessage})",
        }).AppendLine().AppendLine();
        md.AppendLine("# Evaluation report").AppendLine();
        md.Append("Challenger: `").Append(document.Challenger).Append("`; champion: ")
            .Append(document.Champion is null ? "none" : $"`{document.Champion}`")
            .Append(CultureInfo.InvariantCulture, $"; paired bootstrap: {document.Bootstrap.Resamples} resamples, seed {document.Bootstrap.Seed}, {ci} percentile intervals.")
            .AppendLine().AppendLine();

        foreach (var task in document.Tasks)
        {
            var suffix = multitask ? $" — {task.Task}" : "";
            md.Append("## Metrics").Append(suffix).AppendLine().AppendLine();
            md.Append(CultureInfo.InvariantCulture, $"{task.Rows} test rows.").AppendLine().AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"| Metric | Champion | Challenger | Delta | {ci} CI |");
            md.AppendLine("|---|---:|---:|---:|---|");
            foreach (var m in task.Metrics)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {m.Metric} | {Num(m.Champion)} | {Num(m.Challenger)} | {Signed(m.Delta)} | {Interval(m.Interval)} |");
            }

            md.AppendLine();
            md.AppendLine("Higher is better except for ece (expected calibration error) and loss (mean cross-entropy).");
            md.AppendLine();
            if (task.McNemar is { } mc)
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"McNemar's exact test on accuracy: b = {mc.ChampionOnlyCorrect} (champion only right), c = {mc.ChallengerOnlyCorrect} (challenger only right), p = {P(mc.PValue)}.");
                md.AppendLine();
            }

            md.Append("### Per-label F1").Append(suffix).Append(document.Champion is null ? " (weakest first)" : " (largest change first)").AppendLine().AppendLine();
            md.AppendLine("| Label | Champion F1 | Challenger F1 | Delta | Precision | Recall | Support |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach (var c in task.PerClass)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {Cell(c.Label)} | {Num(c.ChampionF1)} | {Num(c.F1)} | {Signed(c.F1Delta)} | {Num(c.Precision)} | {Num(c.Recall)} | {c.Support} |");
            }

            md.AppendLine();
            if (includeCharts)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"![Confusion matrix{suffix}]({ChartNames.ConfusionMatrix(task.Task, multitask)})");
                md.AppendLine();
                md.AppendLine(CultureInfo.InvariantCulture, $"![F1 per label{suffix}]({ChartNames.PerClassF1(task.Task, multitask)})");
                md.AppendLine();
            }
        }

        md.AppendLine("## Gate rules").AppendLine();
        md.AppendLine("| Rule | Verdict | Numbers |");
        md.AppendLine("|---|---|---|");
        foreach (var rule in document.Rules)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {Cell(rule.Condition)} | {Outcome(rule.Outcome)} | {Cell(rule.Detail)} |");
        }

        md.AppendLine();
        Fragment(md, "Data quality", document.DataQualityMarkdown);
        if (document.TrainingFactsMarkdown is not null || document.LossCurve is { Count: > 0 })
        {
            md.AppendLine("## Training").AppendLine();
            if (document.TrainingFactsMarkdown is not null)
            {
                md.AppendLine(document.TrainingFactsMarkdown.Trim()).AppendLine();
            }

            if (includeCharts && document.LossCurve is { Count: > 0 })
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"![Training and validation loss]({ChartNames.Loss})").AppendLine();
            }
        }

        if (document.Lineage is { } lineage)
        {
            md.AppendLine("## Lineage").AppendLine();
            md.AppendLine("| Commit | Data fingerprint | Config hash |");
            md.AppendLine("|---|---|---|");
            md.AppendLine(CultureInfo.InvariantCulture, $"| {Code(lineage.Commit)} | {Code(lineage.DataFingerprint)} | {Code(lineage.ConfigHash)} |");
            md.AppendLine();
        }

        md.AppendLine("## Error analysis").AppendLine();
        foreach (var task in document.Tasks)
        {
            var suffix = multitask ? $" — {task.Task}" : "";
            md.Append("### Most confused label pairs").Append(suffix).AppendLine().AppendLine();
            if (task.MostConfused.Count == 0)
            {
                md.AppendLine("No confusions.").AppendLine();
            }
            else
            {
                md.AppendLine("| True | Predicted | Rows |");
                md.AppendLine("|---|---|---:|");
                foreach (var pair in task.MostConfused)
                {
                    md.AppendLine(CultureInfo.InvariantCulture, $"| {Cell(pair.True)} | {Cell(pair.Predicted)} | {pair.Count} |");
                }

                md.AppendLine();
            }

            if (task.Misclassified.Count > 0)
            {
                md.Append("### Misclassified rows").Append(suffix).AppendLine(" (most confident mistakes first)").AppendLine();
                md.AppendLine("| Row | True | Predicted | Confidence | Text |");
                md.AppendLine("|---|---|---|---:|---|");
                foreach (var row in task.Misclassified)
                {
                    md.AppendLine(CultureInfo.InvariantCulture, $"| {Cell(row.RowId)} | {Cell(row.True)} | {Cell(row.Predicted)} | {Num(row.Confidence)} | {Cell(row.Text ?? "")} |");
                }

                md.AppendLine();
                if (includeCharts && task.MisclassifiedGrid is { } grid)
                {
                    md.AppendLine(CultureInfo.InvariantCulture, $"![Misclassified images{suffix}: true label, then predicted label and confidence]({grid})").AppendLine();
                }
            }
        }

        return md.ToString();
    }

    internal static string Num(double? value) =>
        value is { } v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "—";

    internal static string Signed(double? value) =>
        value is { } v ? (v >= 0 ? "+" : "") + v.ToString("0.0000", CultureInfo.InvariantCulture) : "—";

    private static string Interval(Statistics.ConfidenceInterval? ci) =>
        ci is null ? "—" : $"[{Signed(ci.Lower)}, {Signed(ci.Upper)}]";

    private static string P(double p) => p.ToString("G4", CultureInfo.InvariantCulture);

    private static string Percent(double confidence) =>
        (confidence * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    private static string Outcome(RuleOutcome outcome) => outcome switch
    {
        RuleOutcome.Pass => "pass",
        RuleOutcome.Fail => "**FAIL**",
        RuleOutcome.NotSignificant => "not significant (challenger)",
        _ => "not applicable (no champion)",
    };

    private static string Code(string? value) => string.IsNullOrEmpty(value) ? "unknown" : $"`{value.Replace("`", "'", StringComparison.Ordinal)}`";

    /// <summary>Makes text safe inside a table cell: one line, pipes escaped.</summary>
    private static string Cell(string text) =>
        text.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal);

    private static void Fragment(StringBuilder md, string title, string? fragment)
    {
        if (string.IsNullOrWhiteSpace(fragment))
        {
            return;
        }

        md.Append("## ").AppendLine(title).AppendLine();
        md.AppendLine(fragment.Trim()).AppendLine();
    }
}
