using System.Globalization;
using Microsoft.Extensions.Logging;
using Pipeline.Build;
using Pipeline.Build.Terminal;
using Pipeline.Stages;
using Pipeline.Stages.Incremental;
using Pipeline.Stages.Lineage;

/// <content>The pipeline's stages, one target each, in order: Ingest → Clean → Format → Train → Evaluate → Register.</content>
internal sealed partial class Build
{
    private ILoggerFactory? _loggerFactory;
    private BuildConsole? _terminal;
    private PipelineRun? _run;
    private TrainDecision? _trainDecision;

    [Parameter("Rerun these stages even when their inputs did not change (e.g. --force-stage Train)")]
    internal string[] ForceStage { get; init; } = [];

    [Parameter("Overrides train.deterministic: the same inputs give bit-identical weights (one CPU thread)")]
    internal bool? Deterministic { get; init; }

    [Parameter("Let Register record a model trained from a working tree with uncommitted changes")]
    internal bool AllowDirty { get; init; }

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

    internal Target ChampionCheck => _ => _
        .Description("Compares data, config and code with the champion's commit: nothing to train when all are unchanged (--force trains anyway)")
        .DependsOn(Format)
        .Executes(async () => _trainDecision = await TrainGate.DecideAsync(Settings, Logger, Cancellation));

    internal Target Train => _ => _
        .Description("Fine-tunes the model with TorchSharp")
        .DependsOn(Format, ChampionCheck)
        .OnlyWhenDynamic(() => SomethingToTrain, () => _trainDecision!.Message)
        .Executes(() => RunStageAsync(StageNames.Train));

    internal Target Evaluate => _ => _
        .Description("Scores the trained model against the champion (or --baseline) and applies the quality gate")
        .DependsOn(Train)
        .OnlyWhenDynamic(() => SomethingToTrain, () => _trainDecision!.Message)
        .Executes(() => RunStageAsync(StageNames.Evaluate));

    internal Target Register => _ => _
        .Description("Registers the model that passed the gate and moves the alias it decided (the whole pipeline)")
        .DependsOn(Evaluate)
        .OnlyWhenDynamic(() => SomethingToTrain, () => _trainDecision!.Message)
        .Executes(() => RunStageAsync(StageNames.Register));

    /// <summary>False when ChampionCheck found nothing changed since the champion's commit; true when it did not run.</summary>
    private bool SomethingToTrain => _trainDecision?.ShouldTrain ?? true;

    /// <summary>What the stages are asked to do, from the parameters.</summary>
    private StageSettings Settings => ExportSecrets(new()
    {
        RepositoryRoot = RootDirectory,
        ConfigPath = Path.GetFullPath(Config, RootDirectory),
        Force = Force,
        Strict = Strict,
        AllowDirty = AllowDirty,
        BaselineDirectory = Baseline is { Length: > 0 } baseline ? Path.GetFullPath(baseline, RootDirectory) : null,
        SourceDirectories = [.. Source.Select(s => Path.GetFullPath(s, RootDirectory))],
        Overrides = Overrides(),
        TrainingProgress = Terminal,
    });

    /// <summary>
    /// The registry client reads MLflow's own variables; a token given as <c>--mlflow-tracking-token</c>
    /// reaches it through this process's environment, never through settings, logs or files.
    /// </summary>
    private StageSettings ExportSecrets(StageSettings settings)
    {
        if (!string.IsNullOrEmpty(MlflowTrackingToken))
        {
            Environment.SetEnvironmentVariable("MLFLOW_TRACKING_TOKEN", MlflowTrackingToken);
        }

        return settings;
    }

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

        if (Deterministic is { } deterministic)
        {
            overrides["train.deterministic"] = deterministic ? "true" : "false";
        }

        if (Device is { Length: > 0 } device)
        {
            overrides["train.device"] = device;
        }

        return overrides;
    }

    /// <summary>The build's output: log lines, and a live progress bar for training on a terminal.</summary>
    private BuildConsole Terminal => _terminal ??= BuildConsole.ForThisProcess();

    /// <summary>The log the stages and operations write to (one line per event).</summary>
    private ILogger Logger
    {
        get
        {
            _loggerFactory ??= LoggerFactory.Create(logging => logging.AddProvider(new BuildConsoleLoggerProvider(Terminal)));
            return _loggerFactory.CreateLogger("Pipeline");
        }
    }

    /// <summary>Releases the run lock and the loggers before the summary is printed.</summary>
    protected override void OnBuildFinished()
    {
        _run?.Dispose();
        _loggerFactory?.Dispose();
        _terminal?.Dispose();
    }

    /// <summary>Runs one stage inside this process's pipeline run (taking the run lock on first use).</summary>
    private Task<StageOutcome> RunStageAsync(string stage)
    {
        _run ??= PipelineRun.Start(
            Settings,
            new IncrementalOptions { ForceStages = new HashSet<string>(ForceStage, StringComparer.OrdinalIgnoreCase) },
            // Target names only: the command line may carry a secret parameter.
            "./build.sh " + string.Join(' ', ExecutionPlan.Select(t => t.Name)),
            Logger);
        return _run.RunStageAsync(stage, Cancellation);
    }
}
