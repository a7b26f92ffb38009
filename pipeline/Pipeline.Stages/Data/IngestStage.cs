using Microsoft.Extensions.Logging;
using Pipeline.Configuration;
using Pipeline.Data;
using Pipeline.Data.Ingest;
using Pipeline.Data.Sources;
using Pipeline.Stages.Incremental;

namespace Pipeline.Stages.Data;

/// <summary>Ingest: reads <c>data.sources</c> (and <c>--source</c> folders) into <c>artifacts/ingest</c>.</summary>
internal sealed partial class IngestStage : IIncrementalStage
{
    public string Name => StageNames.Ingest;

    /// <summary>Reads the source files (repository globs and <c>--source</c> folders) and the data section; writes <c>ingest</c>.</summary>
    public StageDeclaration DeclareInputsAndOutputs(StageSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = PipelineConfig.Load(settings.ResolvedConfigPath, overrides: settings.Overrides);
        List<StageInput> inputs = [StageInputs.Config("data", config.Data), StageInputs.Code(typeof(Ingestor).Assembly)];
        inputs.AddRange(config.Data.Sources.Select(source => StageInput.Files(source.Path)));
        inputs.AddRange(config.Data.Sources.Select(IdxLabels).OfType<string>().Select(StageInput.Files));
        inputs.AddRange(settings.SourceDirectories.Select(StageInput.Files));
        inputs.Add(StageInput.Value("strict", settings.Strict ? "true" : "false"));
        return new StageDeclaration { Inputs = inputs, Outputs = ["ingest"] };
    }

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

    // An IDX images glob reads a labels file beside each match that the glob itself does not name.
    private static string? IdxLabels(DataSourceOptions source)
    {
        if (source.Format != DataFormat.Idx && !source.Path.Contains("idx3", StringComparison.Ordinal))
        {
            return null;
        }

        var slash = source.Path.LastIndexOf('/');
        return source.LabelsFile is { } name
            ? (slash < 0 ? name : source.Path[..(slash + 1)] + name)
            : source.Path.Replace("images-idx3", "labels-idx1", StringComparison.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingested {Files} files: {RowsIn} records in, {Accepted} accepted, {Rejected} rejected (artifacts/ingest/rejects.jsonl).")]
    private static partial void Ingested(ILogger logger, int files, long rowsIn, long accepted, long rejected);
}
