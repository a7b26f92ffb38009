using System.Globalization;
using System.IO.Hashing;
using System.Text.Json;
using System.Text;
using Microsoft.Extensions.Logging;
using Pipeline.Configuration;
using Pipeline.Data.Formatting;
using Pipeline.Data;
using Pipeline.Errors;
using Pipeline.Evaluation.Gating;
using Pipeline.IO;
using Pipeline.Registry;
using Pipeline.Serving.Export;
using Pipeline.Stages.Evaluate;
using Pipeline.Stages.Lineage;
using Pipeline.Stages.Operations;
using Pipeline.Stages.Training;

namespace Pipeline.Stages.Register;

/// <summary>
/// Register: records the run in MLflow (or the local registry) and registers the model that passed
/// Evaluate's gate: one MLflow run per pipeline run (params = the flattened config, metrics = the
/// training history and the test metrics, MLflow's source tags, the report as the run's note), the
/// logged model (weights, tokenizer, labels, config, report, pipeline.lock, MLmodel, checksums),
/// a model version with lineage tags, and the alias the gate decided: <c>champion</c> on PASS,
/// <c>challenger</c> on PASS as challenger, nothing on FAIL.
/// It always runs (its effect is in the registry, not in artifacts), and is idempotent: a run is
/// found again by its key (the trained model, the gate file and the commit), so re-running it
/// registers nothing new.
/// </summary>
internal sealed partial class RegisterStage : IStage
{
    /// <summary>The alias a version that passed without a significant improvement gets.</summary>
    public const string Challenger = "challenger";

    /// <summary>The run tag that finds a pipeline run's MLflow run again.</summary>
    public const string RunKeyTag = "pipeline.run_key";

    public string Name => StageNames.Register;

    public async Task RunAsync(StageSettings settings, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(logger);
        var config = PipelineConfig.Load(settings.ResolvedConfigPath, overrides: settings.Overrides);
        var gatePath = StageArtifacts.PathOf(settings, StageArtifacts.Evaluate, StageArtifacts.GateFile);
        var gate = GateFile.Read(gatePath);
        if (gate.Verdict == GateVerdict.Fail)
        {
            throw new GateFailedException($"Nothing registered: the gate failed ({gate.FailureMessage}). See artifacts/{StageArtifacts.ReportMarkdown}.");
        }

        var trainFolder = StageArtifacts.PathOf(settings, StageArtifacts.Train);
        var facts = TrainFacts.TryRead(Path.Combine(trainFolder, StageArtifacts.FactsFile))
            ?? throw new PipelineException($"'{Path.Combine(trainFolder, StageArtifacts.FactsFile)}' does not exist: run the Train stage first (./build.sh Train).");
        var git = await RunLineage.ReadAsync(settings, config, cancellationToken).ConfigureAwait(false);
        git.EnsureCleanForRegister(settings.AllowDirty);
        var configHash = RunLineage.ConfigHash(config);
        var runKey = RunKey(trainFolder, gatePath, git);

        var (client, modelName) = RegistryOperations.Open(settings, logger);
        using (client)
        {
            var experiment = await client.GetOrCreateExperimentAsync(config.Register.Experiment, cancellationToken).ConfigureAwait(false);
            var existing = await FindRunAsync(client, experiment.ExperimentId, runKey, cancellationToken).ConfigureAwait(false);
            if (existing is not null && await FindVersionAsync(client, modelName, existing.Info.RunId, cancellationToken).ConfigureAwait(false) is { } registered)
            {
                AlreadyRegistered(logger, modelName, registered.Version, existing.Info.RunId, git.ShortCommit);
                WriteRecord(settings, existing.Info.RunId, registered.Version, null);
                return;
            }

            var run = existing ?? await client.CreateRunAsync(
                experiment.ExperimentId, RunName(modelName, git, facts), SystemTags(settings, git, RunName(modelName, git, facts), runKey, configHash, gate), cancellationToken: cancellationToken).ConfigureAwait(false);
            var runId = run.Info.RunId;
            if (existing is null)
            {
                await client.LogBatchAsync(runId, Metrics(trainFolder, facts, gate), ConfigParams.Flatten(config), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else
            {
                Resuming(logger, runId);
            }

            var report = StageArtifacts.PathOf(settings, StageArtifacts.ReportMarkdown);
            if (File.Exists(report))
            {
                await client.SetRunDescriptionAsync(runId, await File.ReadAllTextAsync(report, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            }

            var logged = LoggedWeights.Build(settings, config, trainFolder, facts);
            var folder = ModelFolder(settings, trainFolder, logged);
            // model.onnx is a merged copy of the base: it ships with merged or full weights only, so an
            // adapter stays small (the service then rebuilds base + adapter with TorchSharp). The export
            // builds on the BERT graphs; image classifiers are served by TorchSharp.
            var onnx = !facts.IsImageModel && logged.ShipsMergedWeights
                && ExportOnnx(Path.Combine(trainFolder, StageArtifacts.ModelFolder), folder, config.Format.MaxLength, logger);
            LoggingModel(logger, logged.Describe(), onnx ? "; model.onnx (merged weights) for serving" : "", Megabytes(folder));
            var flavor = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["technique"] = facts.Technique,
                ["base_model"] = facts.BaseModel,
                ["base_model_identity"] = facts.BaseModelIdentity,
                ["task"] = config.Model.Task.ToString().ToLowerInvariant(),
                ["modality"] = facts.Modality,
            };
            if (facts.IsImageModel)
            {
                flavor["image_size"] = config.Format.Image.EffectiveSize.ToString(CultureInfo.InvariantCulture);
                flavor["image_resize"] = config.Format.Image.Resize.ToString(CultureInfo.InvariantCulture);
            }
            else
            {
                flavor["pooling"] = config.Model.Pooling.ToString().ToLowerInvariant();
            }

            var metadata = VersionTags(git, facts, configHash, gate);
            logged.Describe(flavor, metadata, onnx);
            var source = await LoggedModel.LogAsync(client, folder, new LoggedModelInfo
            {
                RunId = runId,
                FlavorConfig = flavor,
                Metadata = metadata,
            }, cancellationToken).ConfigureAwait(false);
            await client.SetTerminatedAsync(runId, RunStatus.Finished, cancellationToken).ConfigureAwait(false);
            var version = await client.RegisterModelVersionAsync(modelName, source, runId, VersionTags(git, facts, configHash, gate), cancellationToken: cancellationToken).ConfigureAwait(false);
            Registered(logger, modelName, version.Version, runId, git.ShortCommit);

            var alias = gate.Verdict == GateVerdict.Pass ? RegistryOperations.Champion : Challenger;
            var move = await client.PromoteAsync(modelName, version.Version, alias, Actor(), $"gate {gate.VerdictText} at commit {git.ShortCommit}", cancellationToken).ConfigureAwait(false);
            Promoted(logger, modelName, alias, move.Previous?.ToString(CultureInfo.InvariantCulture) ?? "none", version.Version, gate.VerdictText);
            WriteRecord(settings, runId, version.Version, alias);
        }
    }

    /// <summary>What identifies this pipeline run: the trained model's files, the gate file and the commit.</summary>
    private static string RunKey(string trainFolder, string gatePath, GitContext git)
    {
        var hash = new XxHash128();
        var buffer = new byte[1 << 16];
        foreach (var file in Directory.EnumerateFiles(trainFolder, "*", SearchOption.AllDirectories).Append(gatePath).Order(StringComparer.Ordinal))
        {
            hash.Append(Encoding.UTF8.GetBytes(Path.GetFileName(file)));
            using var stream = File.OpenRead(file);
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                hash.Append(buffer.AsSpan(0, read));
            }
        }

        hash.Append(Encoding.UTF8.GetBytes(git.Commit + (git.IsDirty ? "+dirty:" + git.DataFingerprint + git.CodeFingerprint : "")));
        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    private static async Task<Run?> FindRunAsync(IMlflowClient client, string experimentId, string runKey, CancellationToken cancellationToken)
    {
        var runs = await client.SearchRunsAsync([experimentId], $"tags.`{RunKeyTag}` = '{runKey}'", 10, cancellationToken: cancellationToken).ConfigureAwait(false);
        return runs.Items.Count > 0 ? runs.Items[0] : null;
    }

    private static async Task<ModelVersion?> FindVersionAsync(IMlflowClient client, string modelName, string runId, CancellationToken cancellationToken)
    {
        await foreach (var version in client.SearchAllModelVersionsAsync($"run_id = '{runId}'", cancellationToken).ConfigureAwait(false))
        {
            if (version.Name == modelName)
            {
                return version;
            }
        }

        return null;
    }

    private static string RunName(string modelName, GitContext git, TrainFacts facts) => $"{modelName}-{git.ShortCommit}-{facts.Technique}";

    private static Dictionary<string, string> SystemTags(StageSettings settings, GitContext git, string runName, string runKey, string configHash, GateFile gate)
    {
        var ci = Environment.GetEnvironmentVariable("GITHUB_ACTIONS") == "true" || Environment.GetEnvironmentVariable("CI") is { Length: > 0 };
        var tags = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["mlflow.source.git.commit"] = git.Commit,
            ["mlflow.source.name"] = git.RemoteUrl ?? settings.RepositoryRoot,
            // MLflow's SourceType: JOB for a CI job, LOCAL for a developer's machine.
            ["mlflow.source.type"] = ci ? "JOB" : "LOCAL",
            ["mlflow.user"] = Actor(),
            ["mlflow.runName"] = runName,
            [RunKeyTag] = runKey,
            ["pipeline.data_fingerprint"] = git.DataFingerprint,
            ["pipeline.code_fingerprint"] = git.CodeFingerprint,
            [TrainGate.ConfigHashTag] = configHash,
            ["pipeline.gate"] = gate.VerdictText,
            ["pipeline.dirty"] = git.IsDirty ? "true" : "false",
        };
        if (git.Branch is { } branch)
        {
            tags["mlflow.source.git.branch"] = branch;
        }

        if (git.RemoteUrl is { } remote)
        {
            tags["mlflow.source.git.repoURL"] = remote;
        }

        return tags;
    }

    private static Dictionary<string, string> VersionTags(GitContext git, TrainFacts facts, string configHash, GateFile gate) => new(StringComparer.Ordinal)
    {
        ["mlflow.source.git.commit"] = git.Commit,
        ["pipeline.data_fingerprint"] = git.DataFingerprint,
        [TrainGate.ConfigHashTag] = configHash,
        ["pipeline.gate"] = gate.VerdictText,
        ["pipeline.technique"] = facts.Technique,
        ["pipeline.base_model"] = facts.BaseModel,
    };

    /// <summary>Training loss per step, validation metrics per epoch, the probe and throughput figures, and the test metrics.</summary>
    private static List<Metric> Metrics(string trainFolder, TrainFacts facts, GateFile gate)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var metrics = new List<Metric>();
        var metricsPath = Path.Combine(trainFolder, StageArtifacts.MetricsFile);
        if (File.Exists(metricsPath))
        {
            foreach (var line in File.ReadLines(metricsPath).Where(l => l.Length > 0))
            {
                using var row = JsonDocument.Parse(line);
                var root = row.RootElement;
                var kind = root.GetProperty("kind").GetString();
                var step = root.GetProperty("step").GetInt64();
                var epoch = root.GetProperty("epoch").GetInt64() + 1;
                if (kind == "step")
                {
                    AddIfNumber(metrics, root, "loss", "train.loss", now, step);
                    AddIfNumber(metrics, root, "learning_rate", "train.learning_rate", now, step);
                }
                else
                {
                    AddIfNumber(metrics, root, "validation_loss", "validation.loss", now, epoch);
                    AddIfNumber(metrics, root, "macro_f1", "validation.macro_f1", now, epoch);
                }
            }
        }

        if (facts.ProbeValidationMacroF1 is { } probe)
        {
            metrics.Add(new Metric("validation.probe_macro_f1", probe, now, 0));
        }

        metrics.Add(new Metric("train.wall_seconds", facts.WallSeconds, now, 0));
        metrics.Add(new Metric("train.peak_memory_bytes", facts.PeakMemoryBytes, now, 0));
        if (facts.ExamplesPerSecond is { } examples)
        {
            metrics.Add(new Metric("train.examples_per_second", examples, now, 0));
        }

        metrics.AddRange(gate.TestMetrics.Select(m => new Metric(m.Key, m.Value, now, 0)));
        return metrics;
    }

    private static void AddIfNumber(List<Metric> metrics, JsonElement root, string property, string key, long timestamp, long step)
    {
        if (root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number)
        {
            metrics.Add(new Metric(key, value.GetDouble(), timestamp, step));
        }
    }

    /// <summary>
    /// The folder logged as the model: the trained classifier's encoder weights as
    /// <paramref name="logged"/> decides (the adapter plus <c>base_model.json</c>, merged weights, or
    /// full weights), its heads, config, tokenizer and tasks.json, plus label_map.json, pipeline.yaml,
    /// the report, pipeline.lock and the training facts and metrics. Built fresh under
    /// <c>artifacts/register/model</c>.
    /// </summary>
    private static string ModelFolder(StageSettings settings, string trainFolder, LoggedWeights logged)
    {
        var folder = StageArtifacts.PathOf(settings, "register", "model");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        CopyTree(Path.Combine(trainFolder, StageArtifacts.ModelFolder), folder, logged.Keeps);
        logged.Reference?.Write(folder);
        void CopyIfExists(string source, string name)
        {
            if (File.Exists(source))
            {
                File.Copy(source, Path.Combine(folder, name), overwrite: true);
            }
        }

        // The data's label map travels as label_map.json: labels.json is the serving manifest the ONNX export writes.
        CopyIfExists(Path.Combine(DataArtifacts.Format(settings.ResolvedArtifactsDirectory), Formatter.LabelsFile), LabelMapFile);
        CopyIfExists(settings.ResolvedConfigPath, "pipeline.yaml");
        CopyIfExists(StageArtifacts.PathOf(settings, StageArtifacts.ReportMarkdown), StageArtifacts.ReportMarkdown);
        CopyIfExists(StageArtifacts.PathOf(settings, StageArtifacts.ReportJson), StageArtifacts.ReportJson);
        CopyIfExists(Path.Combine(settings.RepositoryRoot, "pipeline.lock"), "pipeline.lock");
        CopyIfExists(Path.Combine(trainFolder, StageArtifacts.FactsFile), StageArtifacts.FactsFile);
        CopyIfExists(Path.Combine(trainFolder, StageArtifacts.MetricsFile), StageArtifacts.MetricsFile);
        return folder;
    }

    private static double Megabytes(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) / 1e6;

    /// <summary>Texts of different lengths for the export's parity check (numerics, not accuracy).</summary>
    private static readonly string[] ParitySample =
    [
        "hi",
        "I was charged twice for my order last week, can you refund one of the payments?",
        "The app keeps crashing when I open my account page after the latest update, and I have already reinstalled it twice without any luck.",
    ];

    /// <summary>The data's label map inside the logged model.</summary>
    private const string LabelMapFile = "label_map.json";

    /// <summary>
    /// Writes model.onnx (+ labels.json, vocab.txt) into the logged <paramref name="folder"/>, exported
    /// from the trained (merged) <paramref name="trainedModel"/>, so the service runs ONNX Runtime; the
    /// export is checked against TorchSharp within 1e-4 and skipped, with a warning, when the graph does
    /// not fit or the two disagree (the service then uses TorchSharp). Returns whether it was written.
    /// </summary>
    private static bool ExportOnnx(string trainedModel, string folder, int maxLength, ILogger logger)
    {
        try
        {
            var result = OnnxExporter.Export(trainedModel, folder, ParitySample, new OnnxExportOptions { MaxSequenceLength = maxLength });
            if (result.Exported)
            {
                Exported(logger, result.BaseGraph ?? "?", result.MaxAbsDifference);
                return true;
            }

            ExportSkipped(logger, result.Reason ?? "no graph fits this model");
        }
        catch (OnnxExportException ex)
        {
            ExportSkipped(logger, ex.Message);
        }

        return false;
    }

    private static void CopyTree(string source, string target, Func<string, bool> keep)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file).Replace('\\', '/');
            if (!keep(relative))
            {
                continue;
            }

            var destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }

    private static void WriteRecord(StageSettings settings, string runId, int version, string? alias)
    {
        var path = StageArtifacts.PathOf(settings, "register", "registration.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(new { run_id = runId, version, alias }));
    }

    private static string Actor() =>
        Environment.GetEnvironmentVariable("GITHUB_ACTOR") is { Length: > 0 } actor ? actor : Environment.UserName;

    [LoggerMessage(Level = LogLevel.Information, Message = "Nothing new to register: {Model} version {Version} already holds this run ({RunId}, commit {Commit})")]
    private static partial void AlreadyRegistered(ILogger logger, string model, int version, string runId, string commit);

    [LoggerMessage(Level = LogLevel.Information, Message = "Continuing MLflow run {RunId}: an earlier Register of this run stopped before registering a version")]
    private static partial void Resuming(ILogger logger, string runId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Exported model.onnx (base graph {Graph}); ONNX Runtime and TorchSharp agree within {Difference:E1}.")]
    private static partial void Exported(ILogger logger, string graph, double difference);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No ONNX export ({Reason}); the service will run this model with TorchSharp.")]
    private static partial void ExportSkipped(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Logging the model: {Weights}{Onnx} ({Megabytes:F1} MB)")]
    private static partial void LoggingModel(ILogger logger, string weights, string onnx, double megabytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered {Model} version {Version} (run {RunId}, commit {Commit})")]
    private static partial void Registered(ILogger logger, string model, int version, string runId, string commit);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Model}@{Alias}: {Previous} -> version {Version} (gate {Verdict})")]
    private static partial void Promoted(ILogger logger, string model, string alias, string previous, int version, string verdict);
}
