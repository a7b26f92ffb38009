using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Pipeline.Configuration;
using Pipeline.Data.IO;
using Pipeline.Data.Ingest;
using Pipeline.Data.Model;
using Pipeline.IO;

namespace Pipeline.Data.Cleaning;

/// <summary>
/// The Clean stage's work, in two streaming passes. Pass 1 parses and normalises each of Ingest's
/// rows once, drops rows that fail the length and label rules, keeps in memory per row only hashes
/// (XxHash128 of the text, a MinHash signature per distinct text) and spills each candidate's output
/// line to a scratch file. Then it decides exact duplicates, label conflicts and near-duplicates.
/// Pass 2 copies the spilled lines of kept rows (adding their group) to <c>records.jsonl</c> and
/// writes the others to <c>removed.jsonl</c>.
/// </summary>
public static partial class Cleaner
{
    /// <summary>The records file's name inside the output folder.</summary>
    public const string RecordsFile = "records.jsonl";

    /// <summary>The removed rows' file name inside the output folder.</summary>
    public const string RemovedFile = "removed.jsonl";

    /// <summary>The summary file's name inside the output folder.</summary>
    public const string SummaryFile = "summary.json";

    // Pass 1's kept lines, read back and deleted by pass 2.
    private const string SpillFile = ".pass1.jsonl";

    private static ReadOnlySpan<byte> SpilledGroup => "\"group\":0}"u8;

    // How an Ingest record line ends (Clean sets both keys).
    private static ReadOnlySpan<byte> UnsetKeys => "\"row_id\":0,\"group\":0}"u8;

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
        if (ingest.Modality == DataModality.Image)
        {
            return ImageCleaner.Run(ingestDirectory, outputDirectory, options, declaredLabels, ingest, cancellationToken);
        }

        var input = Path.Combine(ingestDirectory, Ingestor.RecordsFile);
        // data.labels is one flat set: it applies to single-task data only.
        var labels = new LabelNormalizer(options, ingest.Tasks.Count == 1 ? declaredLabels : null);
        using var staging = new StagingDirectory(outputDirectory);
        var state = new CleanState(ingest.Tasks.Count, ingest.Accepted);
        state.NameTasks(ingest.Tasks);
        var spill = staging.File(SpillFile);
        using (var removed = new JsonlWriter(staging.File(RemovedFile)))
        {
            // Pass 1: each candidate's output line (with group 0) goes to the spill file, so that
            // pass 2 neither parses nor normalises it again.
            using (var kept = new JsonlWriter(spill))
            {
                FirstPass(input, options, labels, state, removed, kept, cancellationToken);
                kept.Complete(toDisk: false);
            }

            state.Decide(options);
            WriteKept(input, spill, staging, state, removed, cancellationToken);
            removed.Complete(toDisk: true);
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FirstPass(string input, CleanOptions options, LabelNormalizer labels, CleanState state, JsonlWriter removed, JsonlWriter kept, CancellationToken cancellationToken)
    {
        var hasher = new MinHasher(options.NearDuplicates.Shingle);
        using var stream = new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var lines = new Utf8LineReader(stream);
        var scratch = new List<string>();
        while (lines.TryReadLine(out var memory))
        {
            if (memory.IsEmpty)
            {
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            var line = memory.Span;
            var record = RecordJson.Parse(line, scratch, input, lines.LineNumber);
            var row = Prepare(record, options, labels, out var text, out var rowLabels);
            if (row is { } reject)
            {
                removed.Write(reject);
                state.AddRemoved(reject.Reason);
                continue;
            }

            var rowId = state.AddCandidate(record, text!, rowLabels!, options.NearDuplicates.Enabled ? hasher : null);
            if (line.EndsWith(UnsetKeys) && string.Equals(text, record.Text, StringComparison.Ordinal) && SameLabels(rowLabels!, record.Labels))
            {
                // Text and labels came through unchanged: the line Ingest wrote (by the same writer, from
                // the same strings) is the output line but for the row id, so copy it instead of writing it again.
                var prefix = line[..^UnsetKeys.Length];
                var span = kept.GetSpan(prefix.Length + UnsetKeys.Length + 24);
                prefix.CopyTo(span);
                var at = prefix.Length;
                "\"row_id\":"u8.CopyTo(span[at..]);
                at += 9;
                rowId.TryFormat(span[at..], out var digits, default, CultureInfo.InvariantCulture);
                at += digits;
                ",\"group\":0}\n"u8.CopyTo(span[at..]);
                kept.Advance(at + 12);
                continue;
            }

            kept.Write(record with { Text = text!, Labels = rowLabels!, RowId = rowId, Group = 0 });
        }
    }

    private static bool SameLabels(string[] normalized, IReadOnlyList<string> raw)
    {
        for (var t = 0; t < normalized.Length; t++)
        {
            if (!string.Equals(normalized[t], raw[t], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    // Pass 2: walks Ingest's lines and the spill file in step; a kept row's spilled line gets its
    // group, a removed row is parsed again (from Ingest's line) only to cite it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteKept(string input, string spill, StagingDirectory staging, CleanState state, JsonlWriter removed, CancellationToken cancellationToken)
    {
        using var output = new JsonlWriter(staging.File(RecordsFile));
        using (var inputStream = new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
        using (var spillStream = new FileStream(spill, FileMode.Open, FileAccess.Read, FileShare.None, 1 << 16, FileOptions.DeleteOnClose))
        {
            var inputLines = new Utf8LineReader(inputStream);
            var spillLines = new Utf8LineReader(spillStream);
            var labels = new List<string>();
            var index = -1;
            var candidate = -1;
            while (inputLines.TryReadLine(out var line))
            {
                if (line.IsEmpty)
                {
                    continue;
                }

                cancellationToken.ThrowIfCancellationRequested();
                index++;
                if (!state.IsCandidate(index))
                {
                    continue;
                }

                candidate++;
                if (!spillLines.TryReadLine(out var spilled) || !spilled.Span.EndsWith(SpilledGroup))
                {
                    throw new DataException($"{spill}: the spill file of Clean's first pass ends early or is damaged at row {candidate}. Rerun Clean.");
                }

                if (state.RemovalOf(candidate) is { } removal)
                {
                    var record = RecordJson.Parse(line.Span, labels, input, inputLines.LineNumber);
                    var keptRow = state.Origin(removal.Of);
                    var reject = Removed(record, removal.Reason == RejectReasons.ConflictingLabels ? "label" : "text", removal.Reason, removal.Detail + (removal.Of == candidate ? "" : $" Kept: {keptRow.Source}:{keptRow.Line}."))
                        with { DuplicateOf = removal.Of == candidate ? null : state.RowId(removal.Of).ToString(CultureInfo.InvariantCulture), RowId = state.RowId(candidate) };
                    removed.Write(reject);
                    continue;
                }

                // The spilled line ends with "group":0}; write it with the row's group instead.
                var body = spilled.Span[..^2];
                var span = output.GetSpan(body.Length + 24);
                body.CopyTo(span);
                state.Group(candidate).TryFormat(span[body.Length..], out var digits, default, CultureInfo.InvariantCulture);
                span[body.Length + digits] = (byte)'}';
                span[body.Length + digits + 1] = (byte)'\n';
                output.Advance(body.Length + digits + 2);
                state.CountKept(candidate);
            }
        }

        output.Complete(toDisk: true);
    }

    private static Reject Removed(DataRecord record, string field, string reason, string detail) =>
        new(record.Source, record.Line, field, reason, detail, Reject.Cut(record.Text));
}
