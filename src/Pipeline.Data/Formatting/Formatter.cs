using System.Text.Json;
using Pipeline.Data.Cleaning;
using Pipeline.Data.IO;
using Pipeline.Data.Model;
using Pipeline.Data.Tokenization;
using Pipeline.IO;

namespace Pipeline.Data.Formatting;

/// <summary>
/// The Format stage's work (image rows: <see cref="ImageFormatter"/>): one streaming pass over Clean's records that assigns each row to a
/// split by its group key, tokenises it and appends it to that split's shard; then writes
/// <c>labels.json</c>, <c>manifest.json</c> and <c>summary.json</c>. The folder is swapped in atomically.
/// </summary>
public static class Formatter
{
    /// <summary>The label map's file name.</summary>
    public const string LabelsFile = "labels.json";

    /// <summary>The manifest's file name.</summary>
    public const string ManifestFile = "manifest.json";

    /// <summary>The summary's file name.</summary>
    public const string SummaryFile = "summary.json";

    /// <summary>Runs Format.</summary>
    public static FormatSummary Run(FormatRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var clean = Cleaner.ReadSummary(request.CleanDirectory);
        if (clean.Modality == DataModality.Image)
        {
            return ImageFormatter.Run(request, clean, cancellationToken);
        }

        if (request.VocabularyPath is null)
        {
            throw new DataException("Format of text data needs the model's vocabulary (vocab.txt): set model.base to a text model.");
        }

        var labelMap = LabelMapOf(clean);
        var assigner = new SplitAssigner(request.Split.Salt, request.Split.Validation, request.Split.Test);
        var tokenizer = new WordPieceTokenizer(request.VocabularyPath, request.Lowercase);
        using var staging = new StagingDirectory(request.OutputDirectory);
        var splits = Enum.GetValues<Split>();
        var writers = splits.Select(s => new ShardWriter(staging.File(ShardFormat.FileName(s)), clean.Tasks.Count)).ToArray();
        var stats = splits.Select(_ => new SplitStats(clean.Tasks)).ToArray();
        long rows = 0, leakage = 0, truncated = 0;
        // Only the kept rows that removed duplicates point to need their split remembered (for LeakageRemoved).
        var duplicates = DuplicatePairs(Path.Combine(request.CleanDirectory, Cleaner.RemovedFile));
        var splitOf = new Dictionary<long, Split>();
        foreach (var (kept, _) in duplicates)
        {
            splitOf.TryAdd(kept, Split.Train);
        }

        var seen = new HashSet<long>();
        var labelIdsOf = clean.Tasks.Select(t => labelMap.Tasks[t].Select((label, id) => (label, id)).ToDictionary(p => p.label, p => p.id, StringComparer.Ordinal)).ToArray();
        try
        {
            var labelIds = new int[clean.Tasks.Count];
            foreach (var record in RecordJson.ReadRecords(Path.Combine(request.CleanDirectory, Cleaner.RecordsFile), withOrigin: false))
            {
                cancellationToken.ThrowIfCancellationRequested();
                rows++;
                var split = assigner.Assign(record.Group);
                if (splitOf.ContainsKey(record.RowId))
                {
                    splitOf[record.RowId] = split;
                    seen.Add(record.RowId);
                }
                if (record.Group != record.RowId && assigner.Assign(record.RowId) != split)
                {
                    leakage++;
                }

                for (var t = 0; t < labelIds.Length; t++)
                {
                    labelIds[t] = labelIdsOf[t].GetValueOrDefault(record.Labels[t], -1);
                }

                var ids = tokenizer.Encode(record.Text, request.Format.MaxLength, request.Format.Truncation, out var cut);
                truncated += cut ? 1 : 0;
                writers[(int)split].Append(ids, labelIds, record.RowId);
                stats[(int)split].Add(record.Labels, labelIds, ids.Length);
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
            LeakageRemoved = duplicates.Count(p => seen.Contains(p.Kept) && assigner.Assign(p.Own) != splitOf[p.Kept]),
            Truncated = truncated,
        };
        AtomicFile.WriteAllText(staging.File(LabelsFile), JsonSerializer.Serialize(labelMap, DataJson.Options));
        AtomicFile.WriteAllText(staging.File(ManifestFile), JsonSerializer.Serialize(Manifest(request, clean, summary), DataJson.Options));
        AtomicFile.WriteAllText(staging.File(SummaryFile), JsonSerializer.Serialize(summary, DataJson.Options));
        staging.Commit();
        return summary;
    }

    /// <summary>Reads the summary a previous Format wrote.</summary>
    public static FormatSummary ReadSummary(string outputDirectory) =>
        DataJson.Read<FormatSummary>(Path.Combine(outputDirectory, SummaryFile), "Run Format first.");

    /// <summary>Reads <c>labels.json</c>.</summary>
    public static LabelMap ReadLabels(string outputDirectory) =>
        DataJson.Read<LabelMap>(Path.Combine(outputDirectory, LabelsFile), "Run Format first.");

    // Per task, the labels Clean kept in ordinal order: their index is the label id.
    internal static LabelMap LabelMapOf(CleanSummary clean) => new(clean.Tasks.ToDictionary(
        t => t,
        t => (IReadOnlyList<string>)(clean.LabelCounts.TryGetValue(t, out var counts) ? [.. counts.Keys.Order(StringComparer.Ordinal)] : []),
        StringComparer.Ordinal));

    // (kept row id, own row id) of each removed row that names the row it duplicates.
    internal static List<(long Kept, long Own)> DuplicatePairs(string removedPath)
    {
        var pairs = new List<(long Kept, long Own)>();
        foreach (var line in File.ReadLines(removedPath))
        {
            using var row = JsonDocument.Parse(line);
            var root = row.RootElement;
            if (root.TryGetProperty("duplicate_of", out var of) && root.TryGetProperty("row_id", out var own)
                && long.TryParse(of.GetString(), System.Globalization.CultureInfo.InvariantCulture, out var keptId)
                && own.ValueKind == JsonValueKind.Number && own.TryGetInt64(out var ownId))
            {
                pairs.Add((keptId, ownId));
            }
        }

        return pairs;
    }

    private static object Manifest(FormatRequest request, CleanSummary clean, FormatSummary summary) => new
    {
        Format = "plshard",
        ShardFormat.Version,
        Modality = DataModality.Text,
        Tasks = clean.Tasks,
        request.Format.MaxLength,
        Truncation = request.Format.Truncation.ToString().ToLowerInvariant(),
        Padding = request.Format.Padding.ToString().ToLowerInvariant(),
        request.Lowercase,
        Vocabulary = Path.GetFileName(request.VocabularyPath),
        VocabularySha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(request.VocabularyPath!))),
        Split = new { request.Split.Salt, request.Split.Validation, request.Split.Test },
        Shards = summary.Splits.ToDictionary(p => p.Key, p => new { File = p.Key + ".shard", p.Value.Rows }),
        Labels = LabelsFile,
    };
}
