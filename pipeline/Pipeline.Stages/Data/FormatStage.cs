using Microsoft.Extensions.Logging;
using Pipeline.Configuration;
using Pipeline.Data;
using Pipeline.Data.Cleaning;
using Pipeline.Data.Formatting;
using Pipeline.Data.Ingest;
using Pipeline.Data.Model;
using Pipeline.Data.Reporting;
using Pipeline.Data.Tokenization;
using Pipeline.Stages.Incremental;

namespace Pipeline.Stages.Data;

/// <summary>Format: splits, tokenises and shards <c>artifacts/clean</c> into <c>artifacts/format</c>, then writes the data-quality report.</summary>
internal sealed partial class FormatStage : IIncrementalStage
{
    public string Name => StageNames.Format;

    /// <summary>Reads <c>clean</c> (and <c>ingest</c>'s summary for the report), the split, format and model sections; writes <c>format</c> and <c>data</c>.</summary>
    public StageDeclaration DeclareInputsAndOutputs(StageSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = PipelineConfig.Load(settings.ResolvedConfigPath, overrides: settings.Overrides);
        List<StageInput> inputs =
        [
            StageInput.Artifacts("clean"),
            StageInput.Artifacts("ingest/summary.json"),
            StageInputs.Config("split", config.Split),
            StageInputs.Config("format", config.Format),
            StageInputs.Config("model.base", config.Model.Base),
            StageInputs.Code(typeof(Formatter).Assembly),
        ];
        var baseFolder = Path.GetFullPath(config.Model.Base, settings.RepositoryRoot);
        if (Directory.Exists(baseFolder))
        {
            // A model folder in the repository: its vocabulary decides the token ids.
            inputs.Add(StageInput.Files(Path.Combine(baseFolder, "vocab.txt")));
        }

        return new StageDeclaration { Inputs = inputs, Outputs = ["format", "data"] };
    }

    public Task RunAsync(StageSettings settings, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = PipelineConfig.Load(settings.ResolvedConfigPath, overrides: settings.Overrides);
        var artifacts = settings.ResolvedArtifactsDirectory;
        // Image data have no vocabulary: Format sizes their pixels by format.image instead.
        var images = Cleaner.ReadSummary(DataArtifacts.Clean(artifacts)).Modality == DataModality.Image;
        var (vocabulary, lowercase) = images ? (null, false) : VocabularyResolver.Resolve(config.Model.Base, settings.RepositoryRoot, DataArtifacts.Cache(artifacts));
        var summary = Formatter.Run(
            new FormatRequest
            {
                CleanDirectory = DataArtifacts.Clean(artifacts),
                OutputDirectory = DataArtifacts.Format(artifacts),
                VocabularyPath = vocabulary,
                Lowercase = lowercase,
                Split = config.Split,
                Format = config.Format,
            },
            cancellationToken);
        var report = DataReporter.Write(
            DataArtifacts.Report(artifacts),
            Ingestor.ReadSummary(DataArtifacts.Ingest(artifacts)),
            Cleaner.ReadSummary(DataArtifacts.Clean(artifacts)),
            summary);
        Formatted(logger, summary.Splits["train"].Rows, summary.Splits["validation"].Rows, summary.Splits["test"].Rows, summary.LeakagePrevented);
        Reported(logger, report.RowsIn, report.RowsOut, report.Removed, report.Rejected);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Formatted shards: {Train} train, {Validation} validation, {Test} test rows; {Leakage} near-duplicate rows kept in their cluster's split.")]
    private static partial void Formatted(ILogger logger, long train, long validation, long test, long leakage);

    [LoggerMessage(Level = LogLevel.Information, Message = "Data report (artifacts/data/report.md): {RowsIn} in = {RowsOut} out + {Removed} removed + {Rejected} rejected.")]
    private static partial void Reported(ILogger logger, long rowsIn, long rowsOut, long removed, long rejected);
}
