using System.Globalization;
using System.Text.Json;
using Pipeline.Configuration;
using Pipeline.Data.Ingest;
using Pipeline.Data.IO;
using Pipeline.Data.Model;

namespace Pipeline.Data.Cleaning;

/// <summary>
/// The Clean stage's work, in two streaming passes over Ingest's records. Pass 1 normalises each
/// row, drops rows that fail the length and label rules, and keeps per row only hashes (XxHash128
/// of the text, a MinHash signature per distinct text). Then it decides exact duplicates, label
/// conflicts and near-duplicates. Pass 2 writes <c>records.jsonl</c> and <c>removed.jsonl</c>.
/// </summary>
public static partial class Cleaner
{
    /// <summary>The records file's name inside the output folder.</summary>
    public const string RecordsFile = "records.jsonl";

    /// <summary>The removed rows' file name inside the output folder.</summary>
    public const string RemovedFile = "removed.jsonl";

    /// <summary>The summary file's name inside the output folder.</summary>
    public const string SummaryFile = "summary.json";

    /// <summary>Runs Clean on <paramref name="ingestDirectory"/>'s records into <paramref name="outputDirectory"/>.</summary>
    /// <param name="ingestDirectory">Ingest's output folder.</param>
    /// <param name="outputDirectory">Usually <c>artifacts/clean</c>.</param>
    /// <param name="options">The <c>clean</c> section.</param>
    /// <param name="declaredLabels">The optional <c>data.labels</c>; checked for single-task data only.</param>
    /// <param name="cancellationToken">Cancels between rows.</param>
    /// <exception cref="LabelConflictException">Conflicting labels and <c>conflicts: fail</c>.</exception>
    public static CleanSummary Run(string ingestDirectory, string outputDirectory, CleanOptions options, IReadOnlyList<string>? declaredLabels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var ingest = Ingestor.ReadSummary(ingestDirectory);
        var input = Path.Combine(ingestDirectory, Ingestor.RecordsFile);
        // data.labels is one flat set: it applies to single-task data only.
        var labels = new LabelNormalizer(options, ingest.Tasks.Count == 1 ? declaredLabels : null);
        using var staging = new StagingDirectory(outputDirectory);
        var state = new CleanState(ingest.Tasks.Count);
        state.NameTasks(ingest.Tasks);
        using (var removed = new FileStream(staging.File(RemovedFile), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        using (var writer = RecordJson.CreateWriter(removed))
        {
            var hasher = new MinHasher(options.NearDuplicates.Shingle);
            foreach (var record in RecordJson.ReadRecords(input))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var row = Prepare(record, options, labels, out var text, out var rowLabels);
                if (row is { } reject)
                {
                    RecordJson.Write(writer, removed, reject);
                    state.AddRemoved(reject.Reason);
                    continue;
                }

                state.AddCandidate(record, text!, rowLabels!, options.NearDuplicates.Enabled ? hasher : null);
            }

            state.Decide(options);
            WriteKept(input, staging, state, options, labels, writer, removed, cancellationToken);
            removed.Flush(flushToDisk: true);
        }

        var summary = state.Summarize(ingest.Tasks);
        AtomicFile.WriteAllText(staging.File(SummaryFile), JsonSerializer.Serialize(summary, DataJson.Options));
        staging.Commit();
        return summary;
    }

    /// <summary>Reads the summary a previous Clean wrote.</summary>
    public static CleanSummary ReadSummary(string outputDirectory) =>
        DataJson.Read<CleanSummary>(Path.Combine(outputDirectory, SummaryFile), "Run Clean first.");

    private static Reject? Prepare(DataRecord record, CleanOptions options, LabelNormalizer labels, out string? text, out string[]? rowLabels)
    {
        rowLabels = null;
        text = TextNormalizer.Normalize(record.Text, options.Unicode);
        if (options.MaskPii)
        {
            text = PiiMasker.Mask(text);
        }

        if (text.Length < options.MinChars)
        {
            return Removed(record, "text", RejectReasons.TooShort, $"{text.Length} characters after normalisation, below clean.min_chars = {options.MinChars}.");
        }

        if (text.Length > options.MaxChars)
        {
            return Removed(record, "text", RejectReasons.TooLong, $"{text.Length} characters after normalisation, above clean.max_chars = {options.MaxChars}.");
        }

        rowLabels = new string[record.Labels.Count];
        for (var t = 0; t < rowLabels.Length; t++)
        {
            var label = labels.Normalize(record.Labels[t], out var unknown);
            if (label is null)
            {
                return unknown
                    ? Removed(record, "label", RejectReasons.UnknownLabel, $"Label '{record.Labels[t]}' is not in data.labels. Fix the label, add it to data.labels, or map it in clean.label_aliases.")
                    : Removed(record, "label", RejectReasons.MissingLabel, "The label is empty.");
            }

            rowLabels[t] = label;
        }

        return null;
    }

    private static void WriteKept(string input, StagingDirectory staging, CleanState state, CleanOptions options, LabelNormalizer labels, Utf8JsonWriter writer, FileStream removed, CancellationToken cancellationToken)
    {
        using var output = new FileStream(staging.File(RecordsFile), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        using var outputWriter = RecordJson.CreateWriter(output);
        var index = -1;
        var candidate = -1;
        foreach (var record in RecordJson.ReadRecords(input))
        {
            cancellationToken.ThrowIfCancellationRequested();
            index++;
            if (!state.IsCandidate(index))
            {
                continue;
            }

            candidate++;
            if (state.RemovalOf(candidate) is { } removal)
            {
                var keptRow = state.Origin(removal.Of);
                var reject = Removed(record, removal.Reason == RejectReasons.ConflictingLabels ? "label" : "text", removal.Reason, removal.Detail + (removal.Of == candidate ? "" : $" Kept: {keptRow.Source}:{keptRow.Line}."))
                    with { DuplicateOf = removal.Of == candidate ? null : state.RowId(removal.Of).ToString(CultureInfo.InvariantCulture), RowId = state.RowId(candidate) };
                RecordJson.Write(writer, removed, reject);
                continue;
            }

            Prepare(record, options, labels, out var text, out var rowLabels);
            var kept = record with { Text = text!, Labels = rowLabels!, RowId = state.RowId(candidate), Group = state.Group(candidate) };
            state.CountKept(kept);
            RecordJson.Write(outputWriter, output, kept);
        }

        output.Flush(flushToDisk: true);
    }

    private static Reject Removed(DataRecord record, string field, string reason, string detail) =>
        new(record.Source, record.Line, field, reason, detail, Reject.Cut(record.Text));
}
