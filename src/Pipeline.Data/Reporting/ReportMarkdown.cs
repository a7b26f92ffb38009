using System.Globalization;
using System.Text;

namespace Pipeline.Data.Reporting;

/// <summary>Renders <see cref="DataReport"/> as the Markdown section of the pull-request report.</summary>
public static class ReportMarkdown
{
    /// <summary>The Markdown text.</summary>
    public static string Render(DataReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        md.AppendLine("## Data quality").AppendLine();
        md.AppendLine(c, $"**{report.RowsIn:N0}** records in = **{report.RowsOut:N0}** out + **{report.Removed:N0}** removed by Clean + **{report.Rejected:N0}** rejected by Ingest.").AppendLine();
        md.AppendLine("| Stage | In | Out | Removed / rejected |").AppendLine("|---|---:|---:|---:|");
        md.AppendLine(c, $"| Ingest ({report.Ingest.Files.Count} files) | {report.Ingest.RowsIn:N0} | {report.Ingest.Accepted:N0} | {report.Ingest.Rejected:N0} |");
        md.AppendLine(c, $"| Clean | {report.Clean.RowsIn:N0} | {report.Clean.RowsOut:N0} | {report.Clean.Removed:N0} |");
        md.AppendLine(c, $"| Format | {report.Format.RowsIn:N0} | {report.Format.RowsIn:N0} | 0 |").AppendLine();
        Reasons(md, "Rejected by Ingest", report.Ingest.RejectsByReason);
        Reasons(md, "Removed by Clean", report.Clean.RemovedByReason);
        // Text near-duplicates with the same label are removed (only mixed clusters stay); image near-duplicates all stay, grouped.
        var (rows, clusters) = report.Clean.Modality == Model.DataModality.Image ? ("images", "Near-duplicate image clusters kept in one split") : ("texts", "Near-duplicate clusters kept whole (mixed labels)");
        md.AppendLine(c, $"Label conflicts: {report.Clean.ConflictingTexts:N0} {rows}. {clusters}: {report.Clean.NearDuplicateClustersKept:N0} ({report.Clean.NearDuplicateRowsKept:N0} rows). Leakage found and removed: {report.Format.LeakageRemoved:N0} duplicates that would have landed in another split than the row kept. Leakage prevented: {report.Format.LeakagePrevented:N0} rows moved to their cluster's split. Truncated to max length: {report.Format.Truncated:N0} rows.").AppendLine();
        foreach (var task in report.Labels.Keys)
        {
            md.AppendLine(c, $"### Labels per split ({task})").AppendLine();
            md.AppendLine("| Label | Train | Validation | Test | Total |").AppendLine("|---|---:|---:|---:|---:|");
            foreach (var (label, total) in report.Labels[task])
            {
                md.Append(c, $"| {label} ");
                foreach (var split in new[] { "train", "validation", "test" })
                {
                    var counts = report.Format.Splits.TryGetValue(split, out var s) ? s.LabelCounts.GetValueOrDefault(task) : null;
                    md.Append(c, $"| {counts?.GetValueOrDefault(label) ?? 0:N0} ");
                }

                md.AppendLine(c, $"| {total:N0} |");
            }

            md.AppendLine();
        }

        // Images have no lengths: their size is format.image.resize, in the manifest.
        if (report.Clean.Modality != Model.DataModality.Image)
        {
            var chars = report.Clean.Lengths;
            md.AppendLine("### Lengths").AppendLine();
            md.AppendLine(c, $"Characters: min {chars.Min}, median {chars.P50}, p95 {chars.P95}, max {chars.Max}, mean {chars.Mean}.");
            foreach (var (split, s) in report.Format.Splits)
            {
                md.AppendLine(c, $"Tokens ({split}): {s.Rows:N0} rows, median {s.TokenLengths.P50}, p95 {s.TokenLengths.P95}, max {s.TokenLengths.Max}.");
            }

            md.AppendLine();
        }

        if (report.Diff is { } diff)
        {
            md.AppendLine("### Since the previous run").AppendLine();
            md.AppendLine(c, $"Rows out: {diff.PreviousRowsOut:N0} → {report.RowsOut:N0} ({report.RowsOut - diff.PreviousRowsOut:+#,0;-#,0;0}).");
            foreach (var (task, changes) in diff.LabelChanges)
            {
                var list = changes.Count == 0 ? "no change" : string.Join(", ", changes.Select(p => string.Create(c, $"{p.Key} {p.Value:+#,0;-#,0}")));
                md.AppendLine(c, $"- {task}: {list}; new labels: {Names(diff.NewLabels[task])}; vanished: {Names(diff.VanishedLabels[task])}.");
            }
        }

        return md.ToString();
    }

    private static string Names(IReadOnlyList<string> labels) => labels.Count == 0 ? "none" : string.Join(", ", labels);

    private static void Reasons(StringBuilder md, string title, IReadOnlyDictionary<string, long> reasons)
    {
        if (reasons.Count == 0)
        {
            return;
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"{title}: {string.Join(", ", reasons.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value:N0}")))}.").AppendLine();
    }
}
