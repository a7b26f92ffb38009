using System.Text.Json;
using Pipeline.Data.Images;
using Pipeline.Data.IO;
using Pipeline.Data.Model;
using Pipeline.Data.Sources;
using Pipeline.IO;

namespace Pipeline.Data.Ingest;

/// <summary>
/// The Ingest stage's work: resolves the sources, streams every file through its reader and writes
/// <c>records.jsonl</c>, <c>rejects.jsonl</c> and <c>summary.json</c> into the output folder, atomically.
/// </summary>
public static class Ingestor
{
    /// <summary>The records file's name inside the output folder.</summary>
    public const string RecordsFile = "records.jsonl";

    /// <summary>The rejects file's name inside the output folder.</summary>
    public const string RejectsFile = "rejects.jsonl";

    /// <summary>The summary file's name inside the output folder.</summary>
    public const string SummaryFile = "summary.json";

    /// <summary>Runs Ingest.</summary>
    /// <exception cref="SourceAccessException">A source escapes the repository.</exception>
    /// <exception cref="RejectedRecordsException">Strict mode and a record was rejected.</exception>
    /// <exception cref="DataException">No source matched, or the sources disagree on the tasks.</exception>
    public static async Task<IngestSummary> RunAsync(IngestOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Sources.Count == 0)
        {
            throw new DataException("pipeline.yaml declares no data.sources. Add at least one source (path, format, text, label).");
        }

        var tasks = options.Sources[0].Tasks;
        if (options.Sources.FirstOrDefault(s => !s.Tasks.SequenceEqual(tasks)) is { } odd)
        {
            throw new DataException($"Source '{odd.Path}' yields tasks [{string.Join(", ", odd.Tasks)}] but '{options.Sources[0].Path}' yields [{string.Join(", ", tasks)}]. Every source must have the same label fields.");
        }

        // Never read the pipeline's own outputs back in (a glob such as **/*.jsonl would match them).
        var artifacts = Path.GetDirectoryName(Path.GetFullPath(options.OutputDirectory))! + Path.DirectorySeparatorChar;
        var files = SourceResolver.Resolve(options.RepositoryRoot, options.Sources, options.ExtraRoots)
            .Where(f => !f.FullPath.StartsWith(artifacts, StringComparison.Ordinal))
            .ToList();
        if (files.Count == 0)
        {
            throw new DataException($"No file matches the data.sources globs ({string.Join(", ", options.Sources.Select(s => s.Path))}) under '{options.RepositoryRoot}'. Check the paths in pipeline.yaml.");
        }

        var modality = ModalityOf(files);
        using var staging = new StagingDirectory(options.OutputDirectory);
        using var sink = new FileSink(staging.File(RecordsFile), staging.File(RejectsFile), options.Strict);
        foreach (var file in files)
        {
            await ReadAsync(file, sink, staging.WorkingPath, cancellationToken).ConfigureAwait(false);
        }

        sink.Close();
        var summary = new IngestSummary
        {
            Tasks = tasks,
            Modality = modality,
            Files = [.. files.Select(f => f.DisplayPath)],
            RowsIn = sink.Accepted + sink.Rejected,
            Accepted = sink.Accepted,
            Rejected = sink.Rejected,
            RejectsByReason = sink.ByReason,
        };
        AtomicFile.WriteAllText(staging.File(SummaryFile), JsonSerializer.Serialize(summary, DataJson.Options));
        staging.Commit();
        return summary;
    }

    /// <summary>Reads the summary a previous Ingest wrote.</summary>
    public static IngestSummary ReadSummary(string outputDirectory) =>
        DataJson.Read<IngestSummary>(Path.Combine(outputDirectory, SummaryFile), "Run Ingest first.");

    // Every file of a run holds the same kind of rows: texts or images.
    private static string ModalityOf(List<ResolvedFile> files)
    {
        var images = files.Where(f => IsImageFormat(FormatOf(f))).ToList();
        var texts = files.Where(f => FormatOf(f) is not (SourceFormat.Auto or SourceFormat.ImageFolder or SourceFormat.Idx)).ToList();
        if (images.Count > 0 && texts.Count > 0)
        {
            throw new DataException($"The sources mix images ('{images[0].DisplayPath}') and texts ('{texts[0].DisplayPath}'). One pipeline trains on one kind of data: split them into two pipelines.");
        }

        return images.Count > 0 ? DataModality.Image : DataModality.Text;
    }

    private static bool IsImageFormat(SourceFormat format) => format is SourceFormat.ImageFolder or SourceFormat.Idx;

    private static SourceFormat FormatOf(ResolvedFile file) => file.Spec.Format == SourceFormat.Auto ? Detect(file) : file.Spec.Format;

    private static async Task ReadAsync(ResolvedFile file, FileSink sink, string workingDirectory, CancellationToken cancellationToken)
    {
        var format = FormatOf(file);
        if (format is not (SourceFormat.Folder or SourceFormat.Email or SourceFormat.ImageFolder) && new FileInfo(file.FullPath).Length == 0)
        {
            sink.Reject(new Reject(file.DisplayPath, null, null, RejectReasons.EmptyFile, "The file is empty. Remove it or fill it.", null));
            return;
        }

        try
        {
            switch (format)
            {
                case SourceFormat.Jsonl: JsonlReader.Read(file, sink, cancellationToken); break;
                case SourceFormat.Csv: DelimitedReader.Read(file, file.Spec.Delimiter ?? ',', sink, cancellationToken); break;
                case SourceFormat.Tsv: DelimitedReader.Read(file, file.Spec.Delimiter ?? '\t', sink, cancellationToken); break;
                case SourceFormat.Parquet: await ParquetSourceReader.ReadAsync(file, sink, cancellationToken).ConfigureAwait(false); break;
                case SourceFormat.Folder or SourceFormat.Email: FolderReader.Read(file with { Spec = file.Spec with { Format = format } }, sink, cancellationToken); break;
                case SourceFormat.ImageFolder: ImageFolderReader.Read(file, sink, cancellationToken); break;
                case SourceFormat.Idx: IdxReader.Read(file, sink, workingDirectory, cancellationToken); break;
                default:
                    sink.Reject(new Reject(file.DisplayPath, null, null, RejectReasons.UnknownFormat, "Cannot tell the format from the extension. Set format: in pipeline.yaml.", null));
                    break;
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or FormatException or NotSupportedException || ex.GetType().Namespace?.StartsWith("Parquet", StringComparison.Ordinal) == true)
        {
            throw new DataException($"Cannot read '{file.DisplayPath}' as {format}: {ex.Message}. Fix the file or its format: in pipeline.yaml.", ex);
        }
    }

    private static SourceFormat Detect(ResolvedFile file)
    {
        if (Directory.Exists(file.FullPath))
        {
            // A folder whose first label folder starts with an image is an image folder.
            var first = Directory.EnumerateDirectories(file.FullPath).Order(StringComparer.Ordinal)
                .Select(d => Directory.EnumerateFiles(d).Order(StringComparer.Ordinal).FirstOrDefault())
                .FirstOrDefault(f => f is not null);
            return first is not null && ImageDecoder.HasImageExtension(first) ? SourceFormat.ImageFolder : SourceFormat.Folder;
        }

        if (ImageDecoder.HasImageExtension(file.FullPath))
        {
            return SourceFormat.ImageFolder;
        }

        if (Path.GetFileName(file.FullPath).Contains("idx3-ubyte", StringComparison.OrdinalIgnoreCase))
        {
            return SourceFormat.Idx;
        }

        return Path.GetExtension(file.FullPath).ToUpperInvariant() switch
        {
            ".JSONL" or ".JSON" or ".NDJSON" => SourceFormat.Jsonl,
            ".CSV" => SourceFormat.Csv,
            ".TSV" or ".TAB" => SourceFormat.Tsv,
            ".PARQUET" => SourceFormat.Parquet,
            _ => SourceFormat.Auto,
        };
    }
}
