using System.Text.Json;
using Pipeline.Data.Cleaning;
using Pipeline.Data.Formatting;
using Pipeline.Data.IO;
using Pipeline.Data.Ingest;
using Pipeline.IO;

namespace Pipeline.Data.Reporting;

/// <summary>Builds the data-quality report from the stages' summaries and writes <c>report.json</c> and <c>report.md</c>.</summary>
public static class DataReporter
{
    /// <summary>The JSON report's file name.</summary>
    public const string JsonFile = "report.json";

    /// <summary>The Markdown report's file name.</summary>
    public const string MarkdownFile = "report.md";

    /// <summary>Builds the report, diffs it against <paramref name="reportDirectory"/>'s previous <c>report.json</c> if any, and writes both files atomically.</summary>
    /// <exception cref="DataException">The counts do not add up (the stages' outputs are from different runs).</exception>
    public static DataReport Write(string reportDirectory, IngestSummary ingest, CleanSummary clean, FormatSummary format)
    {
        var report = Build(ingest, clean, format);
        var previousPath = Path.Combine(reportDirectory, JsonFile);
        if (File.Exists(previousPath))
        {
            try
            {
                var previous = JsonSerializer.Deserialize<DataReport>(File.ReadAllText(previousPath), DataJson.Options);
                report = report with { Diff = previous is null ? null : Diff(previous, report) };
            }
            catch (JsonException)
            {
                // A previous report from an older layout is not comparable; report without a diff.
            }
        }

        AtomicFile.WriteAllText(previousPath, JsonSerializer.Serialize(report, DataJson.Options));
        AtomicFile.WriteAllText(Path.Combine(reportDirectory, MarkdownFile), ReportMarkdown.Render(report));
        return report;
    }

    /// <summary>Builds the report without a diff.</summary>
    public static DataReport Build(IngestSummary ingest, CleanSummary clean, FormatSummary format)
    {
        ArgumentNullException.ThrowIfNull(ingest);
        ArgumentNullException.ThrowIfNull(clean);
        ArgumentNullException.ThrowIfNull(format);
        if (ingest.Accepted != clean.RowsIn || clean.RowsOut != format.RowsIn || clean.RowsIn != clean.RowsOut + clean.Removed)
        {
            throw new DataException($"The stages' counts do not add up (ingest accepted {ingest.Accepted}, clean in {clean.RowsIn} / out {clean.RowsOut} / removed {clean.Removed}, format in {format.RowsIn}): their outputs come from different runs. Rerun Ingest, Clean and Format.");
        }

        return new DataReport
        {
            RowsIn = ingest.RowsIn,
            RowsOut = format.RowsIn,
            Removed = clean.Removed,
            Rejected = ingest.Rejected,
            Ingest = ingest,
            Clean = clean,
            Format = format,
            Labels = clean.LabelCounts,
        };
    }

    private static DataDiff Diff(DataReport previous, DataReport current)
    {
        var changes = new Dictionary<string, SortedDictionary<string, long>>(StringComparer.Ordinal);
        var added = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var vanished = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var task in current.Labels.Keys.Union(previous.Labels.Keys).Order(StringComparer.Ordinal))
        {
            var now = current.Labels.GetValueOrDefault(task) ?? [];
            var before = previous.Labels.GetValueOrDefault(task) ?? [];
            var delta = new SortedDictionary<string, long>(StringComparer.Ordinal);
            foreach (var label in now.Keys.Union(before.Keys))
            {
                var change = now.GetValueOrDefault(label) - before.GetValueOrDefault(label);
                if (change != 0)
                {
                    delta[label] = change;
                }
            }

            changes[task] = delta;
            added[task] = [.. now.Keys.Except(before.Keys).Order(StringComparer.Ordinal)];
            vanished[task] = [.. before.Keys.Except(now.Keys).Order(StringComparer.Ordinal)];
        }

        return new DataDiff { PreviousRowsOut = previous.RowsOut, LabelChanges = changes, NewLabels = added, VanishedLabels = vanished };
    }
}
