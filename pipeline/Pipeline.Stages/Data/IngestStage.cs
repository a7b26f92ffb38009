using Microsoft.Extensions.Logging;
using Pipeline.Configuration;
using Pipeline.Data;
using Pipeline.Data.Ingest;
using Pipeline.Data.Sources;

namespace Pipeline.Stages.Data;

/// <summary>Ingest: reads <c>data.sources</c> (and <c>--source</c> folders) into <c>artifacts/ingest</c>.</summary>
internal sealed partial class IngestStage : IStage
{
    public string Name => StageNames.Ingest;

    public async Task RunAsync(StageSettings settings, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = PipelineConfig.Load(settings.ResolvedConfigPath, overrides: settings.Overrides);
        var summary = await Ingestor.RunAsync(
            new IngestOptions
            {
                RepositoryRoot = settings.RepositoryRoot,
                Sources = SourceSpecs.From(config.Data),
                ExtraRoots = settings.SourceDirectories,
                Strict = settings.Strict,
                OutputDirectory = DataArtifacts.Ingest(settings.ResolvedArtifactsDirectory),
            },
            cancellationToken).ConfigureAwait(false);
        Ingested(logger, summary.Files.Count, summary.RowsIn, summary.Accepted, summary.Rejected);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingested {Files} files: {RowsIn} records in, {Accepted} accepted, {Rejected} rejected (artifacts/ingest/rejects.jsonl).")]
    private static partial void Ingested(ILogger logger, int files, long rowsIn, long accepted, long rejected);
}
