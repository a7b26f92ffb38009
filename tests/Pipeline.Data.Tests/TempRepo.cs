using System.Text;
using Pipeline.Configuration;
using Pipeline.Data.Cleaning;
using Pipeline.Data.Formatting;
using Pipeline.Data.Ingest;
using Pipeline.Data.Sources;
using Pipeline.Data.Tokenization;

namespace Pipeline.Data.Tests;

/// <summary>A throw-away repository folder with helpers to write inputs and run the stages.</summary>
public sealed class TempRepo : IDisposable
{
    public TempRepo()
    {
        Root = Path.Combine(Path.GetTempPath(), "pipeline-data-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Artifacts => Path.Combine(Root, "artifacts");

    public string Write(string relative, string text) => Write(relative, Encoding.UTF8.GetBytes(text));

    public string Write(string relative, byte[] bytes)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public Task<IngestSummary> IngestAsync(params SourceSpec[] sources) =>
        Ingestor.RunAsync(new IngestOptions { RepositoryRoot = Root, Sources = sources, OutputDirectory = Path.Combine(Artifacts, "ingest") });

    public CleanSummary Clean(CleanOptions? options = null, IReadOnlyList<string>? labels = null) =>
        Cleaner.Run(Path.Combine(Artifacts, "ingest"), Path.Combine(Artifacts, "clean"), options ?? new CleanOptions(), labels);

    public FormatSummary Format(SplitOptions? split = null, FormatOptions? format = null) =>
        Formatter.Run(new FormatRequest
        {
            CleanDirectory = Path.Combine(Artifacts, "clean"),
            OutputDirectory = Path.Combine(Artifacts, "format"),
            VocabularyPath = MiniLmVocab,
            Split = split ?? new SplitOptions(),
            Format = format ?? new FormatOptions(),
        });

    public IReadOnlyList<string> ReadLines(string relative) =>
        File.ReadAllLines(Path.Combine(Artifacts, relative)).Where(l => l.Length > 0).ToList();

    public static string MiniLmVocab { get; } =
        VocabularyResolver.Resolve(VocabularyResolver.MiniLm, ".", Path.Combine(Path.GetTempPath(), "pipeline-data-tests-vocab")).Path;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A memory-mapped shard still open on another thread; the temp folder is cleaned by the OS.
        }
    }
}
