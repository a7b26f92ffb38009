using System.Diagnostics;
using Pipeline.Configuration;
using Pipeline.Data.Cleaning;
using Pipeline.Data.Formatting;
using Pipeline.Data.Ingest;
using Pipeline.Data.Sources;

namespace Pipeline.Benchmarks.Data;

/// <summary>Our data path on the benchmark input: Ingest, Clean and Format, timed one by one.</summary>
internal static class OursDataPath
{
    /// <summary>Rows, and per stage the wall time and the process's CPU time (which other load on the host disturbs less).</summary>
    public sealed record Result(long RowsIn, long RowsOut, TimeSpan Ingest, TimeSpan Clean, TimeSpan Format, TimeSpan IngestCpu, TimeSpan CleanCpu, TimeSpan FormatCpu);

    public static async Task<Result> RunAsync(string dataDirectory, string fileName, DataFormat format, string vocabulary, string outputDirectory)
    {
        var sources = SourceSpecs.From(new DataOptions
        {
            Sources = [new DataSourceOptions { Path = fileName, Format = format, Text = ["text"], Label = "label", Id = "id" }],
        });
        var ingestDir = Path.Combine(outputDirectory, "ingest");
        var cleanDir = Path.Combine(outputDirectory, "clean");
        var formatDir = Path.Combine(outputDirectory, "format");

        var cpu = ProcessCpu.Now;
        var watch = Stopwatch.StartNew();
        var ingest = await Ingestor.RunAsync(new IngestOptions { RepositoryRoot = dataDirectory, Sources = sources, OutputDirectory = ingestDir }).ConfigureAwait(false);
        var ingestTime = watch.Elapsed;
        var ingestCpu = ProcessCpu.Since(ref cpu);

        watch.Restart();
        var clean = Cleaner.Run(ingestDir, cleanDir, new CleanOptions(), declaredLabels: null);
        var cleanTime = watch.Elapsed;
        var cleanCpu = ProcessCpu.Since(ref cpu);

        watch.Restart();
        Formatter.Run(new FormatRequest
        {
            CleanDirectory = cleanDir, OutputDirectory = formatDir, VocabularyPath = vocabulary, Lowercase = true,
            Split = new SplitOptions(), Format = new FormatOptions(),
        });
        var formatTime = watch.Elapsed;
        var formatCpu = ProcessCpu.Since(ref cpu);
        return new Result(ingest.RowsIn, clean.RowsOut, ingestTime, cleanTime, formatTime, ingestCpu, cleanCpu, formatCpu);
    }
}
