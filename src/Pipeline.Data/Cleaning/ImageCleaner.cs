using System.Globalization;
using System.Text.Json;
using Pipeline.Configuration;
using Pipeline.Data.Images;
using Pipeline.Data.Ingest;
using Pipeline.Data.IO;
using Pipeline.Data.Model;
using Pipeline.IO;

namespace Pipeline.Data.Cleaning;

/// <summary>
/// Clean for image rows, in two streaming passes over Ingest's records. Pass 1 normalises each row's
/// labels, decodes its image (a row whose image no longer decodes is removed as
/// <see cref="RejectReasons.InvalidImage"/>) and keeps only hashes: XxHash128 of the pixels for exact
/// duplicates and a 64-bit dHash for near-duplicates. Then identical images are resolved like identical
/// texts (duplicates removed, label conflicts by <c>clean.conflicts</c>), and images whose dHashes differ
/// in at most <c>clean.near_duplicates.image_distance</c> bits and whose 16 × 16 grey thumbnails differ by at
/// most <c>clean.near_duplicates.image_difference</c> grey levels on average are put in one group (kept,
/// so that Format keeps the cluster in one split). Pass 2 writes the kept rows with full image paths, row ids and groups.
/// </summary>
internal static class ImageCleaner
{
    public static CleanSummary Run(string ingestDirectory, string outputDirectory, CleanOptions options, IReadOnlyList<string>? declaredLabels, IngestSummary ingest, CancellationToken cancellationToken)
    {
        var input = Path.Combine(ingestDirectory, Ingestor.RecordsFile);
        var labels = new LabelNormalizer(options, ingest.Tasks.Count == 1 ? declaredLabels : null);
        using var staging = new StagingDirectory(outputDirectory);
        var rows = new ImageRows();
        rows.NameTasks(ingest.Tasks);
        using (var removed = new JsonlWriter(staging.File(Cleaner.RemovedFile)))
        {
            foreach (var record in RecordJson.ReadRecords(input))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (Check(record, ingestDirectory, labels, out var image, out var labelKey) is { } reject)
                {
                    removed.Write(reject);
                    rows.AddRemoved(reject.Reason);
                    continue;
                }

                var content = ImageHashes.Content(image!);
                var rowId = RowKeys.RowId(record.Id ?? ("content:" + content.ToString(CultureInfo.InvariantCulture)), "");
                rows.AddCandidate(rowId, labelKey!, content, ImageHashes.Difference(image!), ImageHashes.Thumbnail(image!), record.Source, record.Line);
            }

            rows.ResolveExact(options.Conflicts);
            if (options.NearDuplicates.Enabled)
            {
                rows.GroupNear(options.NearDuplicates.ImageDistance, options.NearDuplicates.ImageDifference);
            }

            WriteKept(input, ingestDirectory, labels, rows, staging, removed, cancellationToken);
            removed.Complete(toDisk: true);
        }

        var summary = rows.Summarize(ingest.Tasks);
        AtomicFile.WriteAllText(staging.File(Cleaner.SummaryFile), JsonSerializer.Serialize(summary, DataJson.Options));
        staging.Commit();
        return summary;
    }

    // The row's normalised labels and decoded image, or why it is removed.
    private static Reject? Check(DataRecord record, string ingestDirectory, LabelNormalizer labels, out RgbImage? image, out string[]? rowLabels)
    {
        image = null;
        rowLabels = Labels(record, labels, out var labelReject);
        if (labelReject is not null)
        {
            return labelReject;
        }

        if (record.Image is null)
        {
            return Removed(record, "image", RejectReasons.InvalidImage, "The row has no image. Delete the artifacts folder and rerun Ingest.");
        }

        try
        {
            var bytes = File.ReadAllBytes(Path.GetFullPath(record.Image, ingestDirectory));
            if (record.ImageHash is { } hash && !string.Equals(hash, ImageHashes.Encoded(bytes), StringComparison.Ordinal))
            {
                return Removed(record, "image", RejectReasons.UnreadableFile, "The image file changed since Ingest read it. Rerun Ingest.");
            }

            image = ImageDecoder.Decode(bytes);
            return null;
        }
        catch (ImageDecodeException ex)
        {
            return Removed(record, "image", RejectReasons.InvalidImage, $"Cannot decode the image: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Removed(record, "image", RejectReasons.UnreadableFile, $"The image file cannot be read since Ingest: {ex.Message} Rerun Ingest.");
        }
    }

    private static string[]? Labels(DataRecord record, LabelNormalizer labels, out Reject? reject)
    {
        reject = null;
        var result = new string[record.Labels.Count];
        for (var t = 0; t < result.Length; t++)
        {
            var label = labels.Normalize(record.Labels[t], out var unknown);
            if (label is null)
            {
                reject = unknown
                    ? Removed(record, "label", RejectReasons.UnknownLabel, $"Label '{record.Labels[t]}' is not in data.labels. Fix the label, add it to data.labels, or map it in clean.label_aliases.")
                    : Removed(record, "label", RejectReasons.MissingLabel, "The label is empty.");
                return null;
            }

            result[t] = label;
        }

        return result;
    }

    private static void WriteKept(string input, string ingestDirectory, LabelNormalizer labels, ImageRows rows, StagingDirectory staging, JsonlWriter removed, CancellationToken cancellationToken)
    {
        using var output = new JsonlWriter(staging.File(Cleaner.RecordsFile));
        var index = -1;
        var candidate = -1;
        foreach (var record in RecordJson.ReadRecords(input))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!rows.IsCandidate(++index))
            {
                continue;
            }

            candidate++;
            if (rows.RemovalOf(candidate) is { } removal)
            {
                var kept = rows.Origin(removal.Of);
                var reject = Removed(record, removal.Reason == RejectReasons.ConflictingLabels ? "label" : "image", removal.Reason, removal.Detail + (removal.Of == candidate ? "" : $" Kept: {kept.Source}:{kept.Line}."))
                    with { DuplicateOf = removal.Of == candidate ? null : rows.RowId(removal.Of).ToString(CultureInfo.InvariantCulture), RowId = rows.RowId(candidate) };
                removed.Write(reject);
                continue;
            }

            var rowLabels = Labels(record, labels, out _)!;
            output.Write(record with
            {
                Labels = rowLabels,
                Image = Path.GetFullPath(record.Image!, ingestDirectory),
                RowId = rows.RowId(candidate),
                Group = rows.Group(candidate),
            });
            rows.CountKept(rowLabels);
        }

        output.Complete(toDisk: true);
    }

    private static Reject Removed(DataRecord record, string field, string reason, string detail) =>
        new(record.Source, record.Line, field, reason, detail, null);
}
