using System.Text.Json.Serialization;
using System.Text.Json;
using System.Text;
using Pipeline.IO;

namespace Pipeline.Evaluation.Reporting;

/// <summary>
/// Writes report.md, report.json and the charts into a folder (normally <c>artifacts/</c>), each file
/// atomically (temp file + rename), and appends the report to the GitHub step summary when asked.
/// </summary>
public static class ReportWriter
{
    /// <summary>The Markdown report's file name.</summary>
    public const string MarkdownFile = "report.md";

    /// <summary>The machine-readable report's file name.</summary>
    public const string JsonFile = "report.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes the report and returns the paths written.</summary>
    /// <param name="document">The report's content from <see cref="ReportBuilder.Build"/>.</param>
    /// <param name="directory">The output folder; created when missing.</param>
    /// <param name="stepSummaryPath">The value of <c>$GITHUB_STEP_SUMMARY</c>, or null/empty to skip the summary.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    public static async Task<IReadOnlyList<string>> WriteAsync(
        ReportDocument document, string directory, string? stepSummaryPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(Path.Combine(directory, ChartNames.Folder));
        var written = new List<string>();
        var multitask = document.Tasks.Count > 1;
        foreach (var task in document.Tasks)
        {
            written.Add(await WriteAtomicAsync(directory, ChartNames.ConfusionMatrix(task.Task, multitask), Charts.ConfusionMatrix(task), cancellationToken).ConfigureAwait(false));
            written.Add(await WriteAtomicAsync(directory, ChartNames.PerClassF1(task.Task, multitask), Charts.PerClassF1(task, document.Champion is not null), cancellationToken).ConfigureAwait(false));
        }

        foreach (var (path, png) in document.Drawn)
        {
            written.Add(await WriteAtomicAsync(directory, path, png, cancellationToken).ConfigureAwait(false));
        }

        if (document.LossCurve is { Count: > 0 } curve)
        {
            written.Add(await WriteAtomicAsync(directory, ChartNames.Loss, Charts.Loss(curve), cancellationToken).ConfigureAwait(false));
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(document, Json);
        written.Add(await WriteAtomicAsync(directory, JsonFile, json, cancellationToken).ConfigureAwait(false));
        var markdown = Encoding.UTF8.GetBytes(MarkdownRenderer.Render(document));
        written.Add(await WriteAtomicAsync(directory, MarkdownFile, markdown, cancellationToken).ConfigureAwait(false));

        if (!string.IsNullOrEmpty(stepSummaryPath))
        {
            // The summary cannot show files from the runner, so it gets the report without chart links.
            var summary = MarkdownRenderer.Render(document, includeCharts: false) + "\n_Charts: see the `report` artifact._\n\n";
            await File.AppendAllTextAsync(stepSummaryPath, summary, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        }

        return written;
    }

    /// <summary>Reads a report.json back.</summary>
    public static ReportDocument Read(string jsonPath)
    {
        var document = JsonSerializer.Deserialize<ReportDocument>(File.ReadAllBytes(jsonPath), Json);
        return document ?? throw new EvaluationException($"'{jsonPath}' holds no report; it was not written by ReportWriter.");
    }

    private static Task<string> WriteAtomicAsync(string directory, string relative, byte[] content, CancellationToken cancellationToken) =>
        AtomicFile.WriteAllBytesAsync(Path.Combine(directory, relative), content, cancellationToken);
}
