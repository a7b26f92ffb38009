using System.Diagnostics;
using System.Globalization;
using System.IO.Hashing;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Pipeline.Configuration;
using Pipeline.Data.Formatting;
using Pipeline.Errors;
using Pipeline.IO;
using Pipeline.Stages.Data;
using Pipeline.Stages.Incremental;
using Pipeline.Training.Devices;
using Pipeline.Training.Heads;
using Pipeline.Training.Models;
using Pipeline.Training.Training;
using ConfigSchedule = Pipeline.Configuration.LearningRateSchedule;
using ConfigTechnique = Pipeline.Configuration.TrainingTechnique;
using LibraryLora = Pipeline.Training.Lora.LoraOptions;
using LibraryTrainOptions = Pipeline.Training.Training.TrainOptions;

namespace Pipeline.Stages.Training;

/// <summary>
/// Train: fine-tunes <c>model.base</c> on Format's shards with the <c>train</c> section's technique
/// and writes <c>artifacts/train</c> (the model folder, <c>metrics.jsonl</c>, <c>facts.json</c>).
/// Checkpoints go to <c>$PIPELINE_CHECKPOINT_DIR</c> (else <c>artifacts/checkpoints</c>), in a
/// folder named after the run's inputs, so a killed Train of the same inputs resumes.
/// </summary>
internal sealed partial class TrainStage : IIncrementalStage
{
    /// <summary>The variable naming a checkpoint folder that outlives the working tree (a CI runner's cache).</summary>
    public const string CheckpointDirectoryVariable = "PIPELINE_CHECKPOINT_DIR";

    public string Name => StageNames.Train;

    /// <summary>Reads <c>format</c>, the <c>model</c> and <c>train</c> sections, the code and the base weights; writes <c>train</c>.</summary>
    public StageDeclaration DeclareInputsAndOutputs(StageSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = PipelineConfig.Load(settings.ResolvedConfigPath, overrides: settings.Overrides);
        return new StageDeclaration
        {
            Inputs =
            [
                StageInput.Artifacts("format"),
                StageInputs.Config("model", config.Model),
                StageInputs.Config("train", config.Train),
                StageInputs.Code(typeof(FineTuner).Assembly),
                StageInput.BaseModel(BaseModel.Identity(config.Model.Base, settings.RepositoryRoot)),
            ],
            Outputs = [StageArtifacts.Train],
        };
    }

    public Task RunAsync(StageSettings settings, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(logger);
        var config = PipelineConfig.Load(settings.ResolvedConfigPath, overrides: settings.Overrides);
        var data = TrainingData.Open(settings.ResolvedArtifactsDirectory);
        var device = ResolveDevice(config.Train, logger);
        var checkpoints = CheckpointFolder(settings, data, config);
        if (Directory.Exists(checkpoints) && Directory.EnumerateFileSystemEntries(checkpoints).Any())
        {
            Resuming(logger, checkpoints);
        }

        var output = StageArtifacts.PathOf(settings, StageArtifacts.Train);
        var staging = output + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        // The run lock keeps other runs out, so any staging folder left here is a killed run's.
        foreach (var stale in Directory.Exists(settings.ResolvedArtifactsDirectory)
            ? Directory.EnumerateDirectories(settings.ResolvedArtifactsDirectory, StageArtifacts.Train + ".tmp-*").ToList()
            : [])
        {
            Directory.Delete(stale, recursive: true);
        }

        Directory.CreateDirectory(staging);
        var modelFolder = Path.Combine(staging, StageArtifacts.ModelFolder);
        var wall = Stopwatch.StartNew();
        TrainOutcome result;
        using (var progress = settings.TrainingProgress?.Begin($"{TechniqueName(config.Train.Technique)} on {config.Model.Base}"))
        {
            // A live bar shows every step: the trainer's line per N steps would only scroll it away.
            var trainLogger = progress is { IsLive: true } ? new WithoutStepLines(logger) : logger;
            result = data.IsImages
                ? TrainImages(config, settings, data, modelFolder, checkpoints, device, trainLogger, progress, cancellationToken)
                : TrainText(config, settings, data, modelFolder, checkpoints, device, trainLogger, progress, cancellationToken);
        }

        wall.Stop();
        var metrics = Path.Combine(checkpoints, StageArtifacts.MetricsFile);
        if (File.Exists(metrics))
        {
            File.Copy(metrics, Path.Combine(staging, StageArtifacts.MetricsFile), overwrite: true);
        }

        var facts = Facts(config, settings, result, device, wall.Elapsed);
        facts.Write(Path.Combine(staging, StageArtifacts.FactsFile));
        if (Directory.Exists(output))
        {
            Directory.Delete(output, recursive: true);
        }

        Directory.Move(staging, output);
        // The run completed: its checkpoints would only make a later run of the same inputs resume a finished run.
        if (Directory.Exists(checkpoints))
        {
            Directory.Delete(checkpoints, recursive: true);
        }

        var throughput = facts.ExamplesPerSecond is { } rate
            ? rate.ToString("0.0", CultureInfo.InvariantCulture) + (facts.IsImageModel ? " images/s" : " examples/s")
            : "no trainer loop (probe only)";
        Finished(logger, facts.WallSeconds, Format(facts.ProbeValidationMacroF1), Format(facts.FineTunedValidationMacroF1), throughput, facts.PeakMemoryBytes / (1024 * 1024));
        return Task.CompletedTask;
    }

    /// <summary>Fine-tunes the text encoder on the token shards (FineTuner) and writes the tokenizer settings beside it.</summary>
    private static TrainOutcome TrainText(
        PipelineOptions config, StageSettings settings, TrainingData data, string modelFolder, string checkpoints,
        TorchSharp.torch.Device device, ILogger logger, IProgress<TrainProgress>? progress, CancellationToken cancellationToken)
    {
        var train = data.Read(Split.Train);
        var validation = data.Read(Split.Validation);
        if (train.Examples.Count == 0)
        {
            throw new PipelineException("The train split is empty: add labeled rows under data/ or lower split.validation / split.test in pipeline.yaml.");
        }

        var request = Request(config, settings, data, train, validation, modelFolder, checkpoints, device);
        Starting(logger, TechniqueName(config.Train.Technique), config.Model.Base, device.ToString(), train.Examples.Count, validation.Examples.Count, request.TrainOptions.Epochs);
        var result = FineTuner.Run(request, logger, progress, cancellationToken);
        WriteTokenizerSettings(data.Folder, modelFolder);
        return new TrainOutcome(result.TrainableParameters, result.TotalParameters, result.Training, result.ProbeMacroF1, result.KeptProbe, train.Examples.Count, validation.Examples.Count);
    }

    /// <summary>
    /// Writes <c>model.json</c> into the model folder with the tokenisation Format used
    /// (<c>max_sequence_length</c>, <c>lowercase</c>, <c>truncation</c>), so that the ONNX export
    /// and the service tokenise a request exactly as the training rows were.
    /// </summary>
    private static void WriteTokenizerSettings(string formatFolder, string modelFolder)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(formatFolder, Formatter.ManifestFile)));
        var root = manifest.RootElement;
        var settings = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["max_sequence_length"] = root.GetProperty("max_length").GetInt32(),
            ["lowercase"] = root.GetProperty("lowercase").GetBoolean(),
            ["truncation"] = root.GetProperty("truncation").GetString() ?? "tail",
        };
        AtomicFile.WriteAllText(Path.Combine(modelFolder, "model.json"), JsonSerializer.Serialize(settings));
    }

    private static FineTuneRequest Request(
        PipelineOptions config, StageSettings settings, TrainingData data, SplitRows train, SplitRows validation, string modelFolder, string checkpoints, TorchSharp.torch.Device device)
    {
        if (config.Model.Task == ModelTask.MultiLabel)
        {
            throw new PipelineException("model.task 'multi_label' is not trained by the Train stage yet: use single_label, or multitask with one label column per task.");
        }

        var options = config.Train;
        if (!string.Equals(options.EarlyStopping.Metric, "macro_f1", StringComparison.OrdinalIgnoreCase))
        {
            throw new PipelineException($"train.early_stopping.metric '{options.EarlyStopping.Metric}' is not supported: the trainer keeps the weights with the best validation macro_f1. Set it to macro_f1.");
        }

        return new FineTuneRequest
        {
            ModelBase = BaseModel.Locate(config.Model.Base, settings.RepositoryRoot),
            Tasks = TaskSpecs(data),
            Train = train.Examples,
            Validation = validation.Examples,
            OutputFolder = modelFolder,
            CheckpointFolder = checkpoints,
            Technique = options.Technique switch
            {
                ConfigTechnique.Head => FineTuneTechnique.Head,
                ConfigTechnique.Full => FineTuneTechnique.Full,
                ConfigTechnique.Lora => FineTuneTechnique.Lora,
                _ => FineTuneTechnique.LpFt,
            },
            Pooling = config.Model.Pooling == PoolingStrategy.Cls ? PoolingMode.Cls : PoolingMode.Mean,
            TrainOptions = LoopOptions(options, train.Examples.Count, config.Format.Padding == PaddingStrategy.MaxLength ? config.Format.MaxLength : null),
            ProbeOptions = ProbeOptions(options),
            LoraOptions = new LibraryLora
            {
                Rank = options.Lora.Rank,
                Alpha = options.Lora.Alpha,
                Dropout = options.Lora.Dropout,
                TargetModules = options.Lora.TargetModules,
            },
            Device = device,
        };
    }

    /// <summary>One single-label head per task of the data, with its label names in id order (text and image runs alike).</summary>
    private static List<TaskHeadSpec> TaskSpecs(TrainingData data) =>
        [.. data.Tasks.Select(t => new TaskHeadSpec(t, TaskKind.SingleLabel, data.LabelNames(t).Count) { LabelNames = data.LabelNames(t) })];

    /// <summary>The linear probe's options from the <c>train</c> section: the seed and the heads' learning rate.</summary>
    private static LinearProbeOptions ProbeOptions(Configuration.TrainOptions options) =>
        new() { Seed = checked((int)options.Seed), LearningRate = options.HeadLearningRate };

    /// <summary>The trainer loop's options from the <c>train</c> section (text and image runs alike).</summary>
    private static LibraryTrainOptions LoopOptions(Configuration.TrainOptions options, int trainRows, int? padToLength) => new()
    {
        Epochs = options.Epochs,
        BatchSize = options.BatchSize,
        LearningRate = options.LearningRate,
        HeadLearningRate = options.HeadLearningRate,
        WeightDecay = options.WeightDecay,
        WarmupRatio = options.WarmupRatio,
        Schedule = options.Schedule switch
        {
            ConfigSchedule.Cosine => LrSchedule.Cosine,
            ConfigSchedule.Constant => LrSchedule.Constant,
            _ => LrSchedule.Linear,
        },
        MaxGradNorm = options.MaxGradNorm,
        GradientAccumulation = options.GradientAccumulation,
        Seed = checked((int)options.Seed),
        EarlyStoppingPatience = options.EarlyStopping.Patience,
        CheckpointEverySteps = options.Checkpoint.EverySteps,
        KeepLastCheckpoints = options.Checkpoint.KeepLast,
        PadToLength = padToLength,
        LogEverySteps = LogEvery(trainRows, options),
    };

    /// <summary>About ten progress lines per epoch, at least one step apart.</summary>
    private static int LogEvery(int trainRows, Configuration.TrainOptions options)
    {
        var steps = Math.Max(1, (trainRows + (options.BatchSize * options.GradientAccumulation) - 1) / (options.BatchSize * options.GradientAccumulation));
        return Math.Max(1, steps / 10);
    }

    private static TrainFacts Facts(
        PipelineOptions config, StageSettings settings, TrainOutcome result, TorchSharp.torch.Device device, TimeSpan wall) => new()
        {
            Technique = TechniqueName(config.Train.Technique),
            BaseModel = config.Model.Base,
            BaseModelIdentity = BaseModel.Identity(config.Model.Base, settings.RepositoryRoot),
            Device = device.ToString(),
            TrainableParameters = result.TrainableParameters,
            TotalParameters = result.TotalParameters,
            Epochs = config.Train.Epochs,
            OptimizerSteps = result.Training?.OptimizerSteps ?? 0,
            StoppedEarly = result.Training?.StoppedEarly ?? false,
            ResumedFromStep = result.Training?.ResumedFromStep,
            TrainRows = result.TrainRows,
            ValidationRows = result.ValidationRows,
            ExamplesPerSecond = result.Training?.ExamplesPerSecond,
            TokensPerSecond = result.Images ? null : result.Training?.TokensPerSecond,
            WallSeconds = wall.TotalSeconds,
            PeakMemoryBytes = PeakMemory(result.Training?.PeakWorkingSetBytes ?? 0),
            ProbeValidationMacroF1 = result.ProbeMacroF1,
            FineTunedValidationMacroF1 = result.Training?.BestMacroF1,
            KeptProbe = result.KeptProbe,
            Modality = result.Images ? "image" : "text",
        };

    /// <summary>The name pipeline.yaml uses for <paramref name="technique"/>.</summary>
    internal static string TechniqueName(ConfigTechnique technique) => technique == ConfigTechnique.LpFt ? "lp-ft" : technique.ToString().ToLowerInvariant();

    /// <summary>
    /// A folder per set of inputs (format folder, model and train sections, code): a killed run
    /// resumes only into the same run, never into one with other data or settings.
    /// </summary>
    private static string CheckpointFolder(StageSettings settings, TrainingData data, PipelineOptions config)
    {
        var root = Environment.GetEnvironmentVariable(CheckpointDirectoryVariable) is { Length: > 0 } configured
            ? Path.GetFullPath(configured, settings.RepositoryRoot)
            : StageArtifacts.PathOf(settings, "checkpoints");
        var hash = new XxHash128();
        var buffer = new byte[1 << 16];
        foreach (var file in Directory.EnumerateFiles(data.Folder).Order(StringComparer.Ordinal))
        {
            hash.Append(System.Text.Encoding.UTF8.GetBytes(Path.GetFileName(file)));
            using var stream = File.OpenRead(file);
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                hash.Append(buffer.AsSpan(0, read));
            }
        }

        hash.Append(System.Text.Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(config.Model) + System.Text.Json.JsonSerializer.Serialize(config.Train)));
        hash.Append(typeof(FineTuner).Assembly.ManifestModule.ModuleVersionId.ToByteArray());
        return Path.Combine(root, "train-" + Convert.ToHexStringLower(hash.GetCurrentHash())[..16]);
    }

    /// <summary>
    /// The device and thread count. <c>train.deterministic</c> pins libtorch to one CPU thread
    /// (unless <c>train.threads</c> names a count): with a fixed thread count and the seeds, CPU
    /// kernels give bit-identical weights run after run. TorchSharp 0.107 has no binding for
    /// PyTorch's deterministic CUDA algorithms, so a deterministic run on CUDA is refused.
    /// </summary>
    private static TorchSharp.torch.Device ResolveDevice(Configuration.TrainOptions train, ILogger logger)
    {
        if (!train.Deterministic)
        {
            return TorchDevices.Resolve(DeviceOf(train.Device), train.Threads);
        }

        var threads = train.Threads > 0 ? train.Threads : 1;
        var device = TorchDevices.Resolve(DeviceOf(train.Device), threads);
        if (device.type != TorchSharp.DeviceType.CPU)
        {
            throw new PipelineException(
                "train.deterministic is true but the run is on CUDA, where TorchSharp 0.107 cannot select deterministic kernels. " +
                "Set train.device: cpu for a reproducible run, or train.deterministic: false on the GPU.");
        }

        DeterministicRun(logger, threads);
        return device;
    }

    private static DeviceRequest DeviceOf(DevicePreference preference) => preference switch
    {
        DevicePreference.Cpu => DeviceRequest.Cpu,
        DevicePreference.Cuda => DeviceRequest.Cuda,
        _ => DeviceRequest.Auto,
    };

    /// <summary>Peak resident set size from <c>/proc/self/status</c> (VmHWM); <paramref name="fallback"/> where there is none.</summary>
    private static long PeakMemory(long fallback)
    {
        const string Status = "/proc/self/status";
        if (!File.Exists(Status))
        {
            return fallback;
        }

        foreach (var line in File.ReadLines(Status))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal)
                && long.TryParse(line["VmHWM:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var kilobytes))
            {
                return kilobytes * 1024;
            }
        }

        return fallback;
    }

    private static string Format(double? value) => value?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "-";

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming: checkpoints of an interrupted run with the same inputs are in {Folder}")]
    private static partial void Resuming(ILogger logger, string folder);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deterministic run: the CPU with {Threads} libtorch thread(s) and fixed seeds, so the same inputs give the same weights")]
    private static partial void DeterministicRun(ILogger logger, int threads);

    [LoggerMessage(Level = LogLevel.Information, Message = "Training {Technique} on {Base} ({Device}): {Train} train rows, {Validation} validation rows, {Epochs} epoch(s)")]
    private static partial void Starting(ILogger logger, string technique, string @base, string device, int train, int validation, int epochs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trained in {Seconds:0.0} s: validation macro-F1 linear probe {Probe}, fine-tuned {Tuned}; {Throughput}; peak memory {PeakMiB} MiB")]
    private static partial void Finished(ILogger logger, double seconds, string probe, string tuned, string throughput, long peakMiB);
}
