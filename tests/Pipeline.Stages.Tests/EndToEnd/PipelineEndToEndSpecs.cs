using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Evaluation.Gating;
using Pipeline.Registry;
using Pipeline.Stages.Evaluate;
using Pipeline.Stages.Lineage;
using Pipeline.Stages.Tests.Support;
using Pipeline.Training.Loading;
using Xunit.Abstractions;

namespace Pipeline.Stages.Tests.EndToEnd;

/// <summary>
/// The whole pipeline, Ingest to Register, through <see cref="PipelineRun"/> on a real Git
/// repository with a tiny BERT and the local registry under ./mlruns, the way the build runs it.
/// </summary>
[Collection("Sequential")]
public sealed class PipelineEndToEndSpecs(ITestOutputHelper output) : IDisposable
{
    private readonly TinyProject _project = new();
    private readonly ListLogger _logger = new();

    [Fact]
    public async Task The_first_run_registers_version_1_as_champion_a_rerun_registers_nothing_and_the_gate_decides_later_aliases()
    {
        // Arrange
        var commit = _project.Repository.Commit("data, config");

        // Act: the first run
        var first = await RunPipelineAsync();

        // Assert: version 1 is the champion, with its lineage
        Assert.True(first.ShouldTrain, first.Message);
        var versions = await VersionsAsync();
        var v1 = Assert.Single(versions);
        Assert.Equal(1, v1.Version);
        Assert.Contains("champion", v1.Aliases);
        Assert.Equal(commit, v1.Tags[TrainGate.CommitTag]);
        Assert.Equal("PASS", v1.Tags["pipeline.gate"]);
        Assert.Equal("lp-ft", v1.Tags["pipeline.technique"]);
        Assert.True(File.Exists(Path.Combine(_project.Repository.Path, "artifacts", "report.md")));
        Assert.Equal(GateVerdict.Pass, ReadGate().Verdict);
        await AssertRunRecordsLineageAsync(v1.RunId, commit);

        // Act: Register again for the same run, then the whole pipeline again with no change
        await PipelineStages.RunAsync(StageNames.Register, _project.Settings, _logger);
        var second = await RunPipelineAsync();

        // Assert: nothing new, and the reason names the champion
        Assert.Contains(_logger.Lines, l => l.StartsWith("Nothing new to register: tiny-intents version 1", StringComparison.Ordinal));
        Assert.False(second.ShouldTrain);
        Assert.Equal($"nothing to train: data and config unchanged since champion v1 (commit {commit[..7]})", second.Message);
        var overridden = await TrainGate.DecideAsync(_project.Settings with { Overrides = new Dictionary<string, string>(StringComparer.Ordinal) { ["train.technique"] = "head" } }, _logger);
        Assert.True(overridden.ShouldTrain, "--technique head trains although the files are unchanged");
        Assert.StartsWith("training: the effective configuration", overridden.Message, StringComparison.Ordinal);
        Assert.Single(await VersionsAsync());

        // Act: a config change that leaves the model as it is: the same model is no significant improvement
        _project.WriteConfig(floor: 0.5, bootstrapSeed: 14);
        _project.Repository.Commit("another bootstrap seed");
        var third = await RunPipelineAsync();

        // Assert: version 2 is registered as challenger; the champion stays version 1
        Assert.True(third.ShouldTrain, third.Message);
        Assert.Equal(GateVerdict.PassAsChallenger, ReadGate().Verdict);
        versions = await VersionsAsync();
        Assert.Equal(2, versions.Count);
        Assert.Equal(["challenger"], versions.Single(v => v.Version == 2).Aliases);
        Assert.Equal(["champion"], versions.Single(v => v.Version == 1).Aliases);

        // Act: more data and a floor no model reaches on mislabeled rows
        _project.WriteData("data/labeled/second.jsonl", seed: 2, rowsPerLabel: 10, mislabeled: 0);
        _project.WriteConfig(floor: 1.0, bootstrapSeed: 14);
        _project.Repository.Commit("more data, a stricter floor");
        var failed = await Assert.ThrowsAsync<GateFailedException>(() => RunPipelineAsync());

        // Assert: the report is written, the gate file says fail, and nothing is registered
        Assert.Contains("macro_f1 >= 1", failed.Message, StringComparison.Ordinal);
        Assert.Equal(GateVerdict.Fail, ReadGate().Verdict);
        Assert.Equal(2, (await VersionsAsync()).Count);
    }

    [Fact]
    public async Task With_register_merge_the_logged_model_carries_merged_weights_and_still_loads_as_the_champion()
    {
        // Arrange
        _project.Repository.Commit("data, config");
        var merged = _project.Settings with { Overrides = new Dictionary<string, string>(StringComparer.Ordinal) { ["register.merge"] = "true" } };

        // Act
        await RunPipelineAsync(merged);

        // Assert: full encoder weights, no adapter and no base reference
        var v1 = Assert.Single(await VersionsAsync());
        using var client = new LocalRegistry(Path.Combine(_project.Repository.Path, "mlruns"), NullLogger.Instance);
        var downloaded = Path.Combine(_project.Repository.Path, "artifacts", "downloaded");
        await LoggedModel.DownloadAsync(client, v1.RunId, "model", downloaded);
        Assert.True(File.Exists(Path.Combine(downloaded, "model.safetensors")));
        Assert.False(File.Exists(Path.Combine(downloaded, BaseModelReference.FileName)));
        Assert.False(Directory.Exists(Path.Combine(downloaded, "adapter")));
        var mlmodel = await File.ReadAllTextAsync(Path.Combine(downloaded, "MLmodel"));
        Assert.Contains("\"weights\": \"merged\"", mlmodel, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(downloaded, "model.onnx")), "merged weights ship the ONNX export for serving");
        Assert.Contains("\"onnx_weights\": \"merged\"", mlmodel, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        foreach (var line in _logger.Lines)
        {
            output.WriteLine(line);
        }

        _project.Dispose();
    }

    /// <summary>What the build does: the data stages, the champion check, then Train, Evaluate and Register unless there is nothing to train.</summary>
    private async Task<TrainDecision> RunPipelineAsync(StageSettings? overridden = null)
    {
        var settings = overridden ?? _project.Settings;
        using var run = PipelineRun.Start(settings, null, "test", _logger);
        foreach (var stage in new[] { StageNames.Ingest, StageNames.Clean, StageNames.Format })
        {
            await run.RunStageAsync(stage);
        }

        var decision = await TrainGate.DecideAsync(settings, _logger);
        if (decision.ShouldTrain)
        {
            foreach (var stage in new[] { StageNames.Train, StageNames.Evaluate, StageNames.Register })
            {
                await run.RunStageAsync(stage);
            }
        }

        return decision;
    }

    private GateFile ReadGate() => GateFile.Read(Path.Combine(_project.Repository.Path, "artifacts", "evaluate", "gate.json"));

    private async Task<List<ModelVersion>> VersionsAsync()
    {
        using var client = new LocalRegistry(Path.Combine(_project.Repository.Path, "mlruns"), NullLogger.Instance);
        var versions = new List<ModelVersion>();
        await foreach (var version in client.SearchAllModelVersionsAsync("name='tiny-intents'"))
        {
            versions.Add(version);
        }

        return versions;
    }

    private async Task AssertRunRecordsLineageAsync(string runId, string commit)
    {
        using var client = new LocalRegistry(Path.Combine(_project.Repository.Path, "mlruns"), NullLogger.Instance);
        var run = await client.GetRunAsync(runId);
        var tags = run.Data.TagMap;
        Assert.Equal(commit, tags["mlflow.source.git.commit"]);
        var onCi = Environment.GetEnvironmentVariable("GITHUB_ACTIONS") == "true" || Environment.GetEnvironmentVariable("CI") is { Length: > 0 };
        Assert.Equal(onCi ? "JOB" : "LOCAL", tags["mlflow.source.type"]);
        Assert.Contains("PASS", tags["mlflow.note.content"], StringComparison.Ordinal);
        Assert.Equal("lp-ft", run.Data.ParamMap["train.technique"]);
        Assert.Equal("2", run.Data.ParamMap["train.epochs"]);
        Assert.Contains(run.Data.Metrics, m => m.Key == "test.macro_f1");
        Assert.Contains(run.Data.Metrics, m => m.Key == "validation.macro_f1" && m.Step == 2);
        var downloaded = Path.Combine(_project.Repository.Path, "artifacts", "downloaded");
        await LoggedModel.DownloadAsync(client, runId, "model", downloaded);
        foreach (var file in new[] { "base_model.json", "config.json", "vocab.txt", "heads.safetensors", "tasks.json", "label_map.json", "pipeline.yaml", "report.md", "report.json", "pipeline.lock", "MLmodel" })
        {
            Assert.True(File.Exists(Path.Combine(downloaded, file)), $"{file} is missing from the logged model");
        }

        // The service tokenises as Format did: the tiny project's max_length, not the service default of 128.
        var manifest = Pipeline.Serving.Models.ModelManifest.Read(downloaded);
        Assert.Equal(24, manifest.MaxSequenceLength);
        Assert.True(manifest.Lowercase);
        Assert.False(manifest.TruncateHead);

        // LP-FT logs its adapter (or, when it kept the probe, only heads) and a reference to the base, not a merged copy
        Assert.False(File.Exists(Path.Combine(downloaded, "model.safetensors")), "the logged LP-FT model carries merged base weights");
        var reference = BaseModelReference.TryRead(downloaded)!;
        Assert.Equal(_project.ModelFolder, reference.Name);
        Assert.Equal(BaseModelReference.WeightsSha256(_project.ModelFolder), reference.Sha256);
        var mlmodel = await File.ReadAllTextAsync(Path.Combine(downloaded, "MLmodel"));
        Assert.Contains($"\"base_model_sha256\": \"{reference.Sha256}\"", mlmodel, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(downloaded, "model.onnx")), "an ONNX export is a merged copy of the base");
        Assert.DoesNotContain("onnx_weights", mlmodel, StringComparison.Ordinal);
        var weights = Directory.Exists(Path.Combine(downloaded, "adapter")) ? "adapter" : "heads";
        Assert.Contains($"\"weights\": \"{weights}\"", mlmodel, StringComparison.Ordinal);
    }
}
