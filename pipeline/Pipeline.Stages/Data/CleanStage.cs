using Microsoft.Extensions.Logging;
using Pipeline.Configuration;
using Pipeline.Data;
using Pipeline.Data.Cleaning;
using Pipeline.Stages.Incremental;

namespace Pipeline.Stages.Data;

/// <summary>Clean: normalises, deduplicates and checks labels of <c>artifacts/ingest</c> into <c>artifacts/clean</c>.</summary>
internal sealed partial class CleanStage : IIncrementalStage
{
    public string Name => StageNames.Clean;

    /// <summary>Reads <c>ingest</c>, the clean section and the declared labels; writes <c>clean</c>.</summary>
    public StageDeclaration DeclareInputsAndOutputs(StageSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = PipelineConfig.Load(settings.ResolvedConfigPath, overrides: settings.Overrides);
        return new StageDeclaration
        {
            Inputs =
            [
                StageInput.Artifacts("ingest"),
                StageInputs.Config("clean", config.Clean),
                StageInputs.Config("data.labels", config.Data.Labels),
                StageInputs.Code(typeof(Cleaner).Assembly),
            ],
            Outputs = ["clean"],
        };
    }

    public Task RunAsync(StageSettings settings, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = PipelineConfig.Load(settings.ResolvedConfigPath, overrides: settings.Overrides);
        var artifacts = settings.ResolvedArtifactsDirectory;
        var summary = Cleaner.Run(DataArtifacts.Ingest(artifacts), DataArtifacts.Clean(artifacts), config.Clean, config.Data.Labels, cancellationToken);
        Cleaned(logger, summary.RowsIn, summary.RowsOut, summary.Removed, string.Join(", ", summary.RemovedByReason.Select(p => $"{p.Key} {p.Value}")));
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cleaned {RowsIn} rows: {RowsOut} kept, {Removed} removed ({Reasons}; artifacts/clean/removed.jsonl).")]
    private static partial void Cleaned(ILogger logger, long rowsIn, long rowsOut, long removed, string reasons);
}
