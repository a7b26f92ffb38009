using System.Globalization;
using Microsoft.Extensions.Logging;
using Pipeline.Build;
using Pipeline.Stages;

/// <content>The pipeline's stages, one target each, in order: Ingest → Clean → Format → Train → Evaluate → Register.</content>
internal sealed partial class Build
{
    private ILoggerFactory? _loggerFactory;

    internal Target Ingest => _ => _
        .Description("Reads the data sources into artifacts/ingest")
        .DependsOn(Compile)
        .Executes(() => RunStageAsync(StageNames.Ingest));

    internal Target Clean => _ => _
        .Description("Normalises, filters and deduplicates the ingested records into artifacts/clean")
        .DependsOn(Ingest)
        .Executes(() => RunStageAsync(StageNames.Clean));

    internal Target Format => _ => _
        .Description("Splits (stably), tokenises and shards the cleaned records into artifacts/format")
        .DependsOn(Clean)
        .Executes(() => RunStageAsync(StageNames.Format));

    internal Target Train => _ => _
        .Description("Fine-tunes the model with TorchSharp")
        .DependsOn(Format)
        .Executes(() => RunStageAsync(StageNames.Train));

    internal Target Evaluate => _ => _
        .Description("Scores the trained model and applies the quality gate")
        .DependsOn(Train)
        .Executes(() => RunStageAsync(StageNames.Evaluate));

    internal Target Register => _ => _
        .Description("Registers the model that passed the gate (the whole pipeline)")
        .DependsOn(Evaluate)
        .Executes(() => RunStageAsync(StageNames.Register));

    /// <summary>What the stages are asked to do, from the parameters.</summary>
    private StageSettings Settings => new()
    {
        RepositoryRoot = RootDirectory,
        ConfigPath = Path.GetFullPath(Config, RootDirectory),
        Force = Force,
        Strict = Strict,
        SourceDirectories = [.. Source.Select(s => Path.GetFullPath(s, RootDirectory))],
        Overrides = Overrides(),
    };

    private Dictionary<string, string> Overrides()
    {
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Epochs is { } epochs)
        {
            overrides["train.epochs"] = epochs.ToString(CultureInfo.InvariantCulture);
        }

        if (Technique is { Length: > 0 } technique)
        {
            overrides["train.technique"] = technique;
        }

        if (Device is { Length: > 0 } device)
        {
            overrides["train.device"] = device;
        }

        return overrides;
    }

    /// <summary>Flushes the console logger's queue before the summary is printed.</summary>
    protected override void OnBuildFinished() => _loggerFactory?.Dispose();

    private Task RunStageAsync(string stage)
    {
        _loggerFactory ??= LoggerFactory.Create(logging => logging.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.IncludeScopes = true;
            options.TimestampFormat = "HH:mm:ss ";
        }));
        return PipelineStages.RunAsync(stage, Settings, _loggerFactory.CreateLogger("Pipeline"), Cancellation);
    }
}
