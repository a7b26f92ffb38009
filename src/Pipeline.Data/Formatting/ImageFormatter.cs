using System.Text.Json;
using Pipeline.Data.Cleaning;
using Pipeline.Data.Images;
using Pipeline.Data.IO;
using Pipeline.IO;

namespace Pipeline.Data.Formatting;

/// <summary>
/// Format for image rows: one streaming pass over Clean's records that assigns each row to a split by
/// its group key (near-duplicate clusters stay together), decodes, resizes and centre-crops its image to
/// <c>format.image.resize</c> and appends the pixels to that split's image shard; one image is in memory at
/// a time. Then <c>labels.json</c>, <c>manifest.json</c> (<c>"modality": "image"</c>) and <c>summary.json</c>.
/// </summary>
internal static class ImageFormatter
{
    public static FormatSummary Run(FormatRequest request, CleanSummary clean, CancellationToken cancellationToken)
    {
        var size = request.Format.Image.Resize;
        var labelMap = Formatter.LabelMapOf(clean);
        var assigner = new SplitAssigner(request.Split.Salt, request.Split.Validation, request.Split.Test);
        using var staging = new StagingDirectory(request.OutputDirectory);
        var splits = Enum.GetValues<Split>();
        var writers = splits.Select(s => new ImageShardWriter(staging.File(ImageShardFormat.FileName(s)), clean.Tasks.Count, size)).ToArray();
        var stats = splits.Select(_ => new SplitStats(clean.Tasks)).ToArray();
        var duplicates = Formatter.DuplicatePairs(Path.Combine(request.CleanDirectory, Cleaner.RemovedFile));
        var splitOf = duplicates.Select(p => p.Kept).Distinct().ToDictionary(k => k, _ => (Split?)null);
        var labelIdsOf = clean.Tasks.Select(t => labelMap.Tasks[t].Select((label, id) => (label, id)).ToDictionary(p => p.label, p => p.id, StringComparer.Ordinal)).ToArray();
        long rows = 0, leakage = 0;
        try
        {
            var labelIds = new int[clean.Tasks.Count];
            foreach (var record in RecordJson.ReadRecords(Path.Combine(request.CleanDirectory, Cleaner.RecordsFile)))
            {
                cancellationToken.ThrowIfCancellationRequested();
                rows++;
                var split = assigner.Assign(record.Group);
                if (splitOf.ContainsKey(record.RowId))
                {
                    splitOf[record.RowId] = split;
                }

                if (record.Group != record.RowId && assigner.Assign(record.RowId) != split)
                {
                    leakage++;
                }

                for (var t = 0; t < labelIds.Length; t++)
                {
                    labelIds[t] = labelIdsOf[t].GetValueOrDefault(record.Labels[t], -1);
                }

                var image = Prepare(record.Image, record.Source, record.Line, size);
                var source = record.Id is { } id && id.StartsWith(record.Source + "#", StringComparison.Ordinal) ? id : record.Source;
                writers[(int)split].Append(image.Pixels, labelIds, record.RowId, source);
                stats[(int)split].Add(record.Labels, labelIds, 0);
            }

            foreach (var writer in writers)
            {
                writer.Complete();
            }
        }
        finally
        {
            foreach (var writer in writers)
            {
                writer.Dispose();
            }
        }

        var summary = new FormatSummary
        {
            RowsIn = rows,
            Splits = splits.ToDictionary(s => s.ToString().ToLowerInvariant(), s => stats[(int)s].ToSummary(), StringComparer.Ordinal),
            LeakagePrevented = leakage,
            LeakageRemoved = duplicates.Count(p => splitOf[p.Kept] is { } kept && assigner.Assign(p.Own) != kept),
        };
        AtomicFile.WriteAllText(staging.File(Formatter.LabelsFile), JsonSerializer.Serialize(labelMap, DataJson.Options));
        AtomicFile.WriteAllText(staging.File(Formatter.ManifestFile), JsonSerializer.Serialize(Manifest(request, clean, summary, size), DataJson.Options));
        AtomicFile.WriteAllText(staging.File(Formatter.SummaryFile), JsonSerializer.Serialize(summary, DataJson.Options));
        staging.Commit();
        return summary;
    }

    private static RgbImage Prepare(string? path, string source, long line, int size)
    {
        if (path is null)
        {
            throw new DataException($"{source}:{line}: Clean's record has no image. Rerun Ingest and Clean.");
        }

        try
        {
            return ImagePreparation.PrepareFile(path, size);
        }
        catch (Exception ex) when (ex is ImageDecodeException or IOException or UnauthorizedAccessException)
        {
            throw new DataException($"{source}:{line}: the image '{path}' that Clean kept can no longer be read ({ex.Message}). Rerun Ingest and Clean.", ex);
        }
    }

    private static object Manifest(FormatRequest request, CleanSummary clean, FormatSummary summary, int size) => new
    {
        Format = "plimage",
        ImageShardFormat.Version,
        Modality = "image",
        Tasks = clean.Tasks,
        Image = new { Resize = size, Height = size, Width = size, ImageShardFormat.Channels, Layout = "hwc", Color = "rgb", Dtype = "uint8", Preparation = "shorter side to resize, centre crop" },
        Split = new { request.Split.Salt, request.Split.Validation, request.Split.Test },
        Shards = summary.Splits.ToDictionary(p => p.Key, p => new { File = p.Key + ".images", p.Value.Rows }),
        Labels = Formatter.LabelsFile,
    };
}
