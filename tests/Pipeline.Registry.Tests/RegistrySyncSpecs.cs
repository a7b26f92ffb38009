using Pipeline.Registry.Tests.Fakes;

namespace Pipeline.Registry.Tests;

public sealed class RegistrySyncSpecs : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _temp = new();
    private FakeMlflowServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeMlflowServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _temp.Dispose();

    private async Task<(LocalRegistry Local, Run Run)> ArrangeLocalAsync()
    {
        var local = new LocalRegistry(_temp.Combine("mlruns"));
        var experiment = await local.GetOrCreateExperimentAsync("intent-classifier");
        var run = await local.CreateRunAsync(experiment.ExperimentId, "train-abc", new Dictionary<string, string> { ["mlflow.source.git.commit"] = "abc" }, 1_000);
        await local.LogBatchAsync(run.Info.RunId,
            [new Metric("loss", 0.9, 1_100, 0), new Metric("loss", 0.4, 1_200, 1), new Metric("f1", 0.8, 1_300, 1)],
            [new Param("lr", "2e-05"), new Param("epochs", "2")],
            [new RunTag("gate", "passed")]);
        var model = _temp.Combine("model");
        await TestClients.WriteFileAsync(Path.Combine(model, "data", "adapter.safetensors"), 200_000, 5);
        await LoggedModel.WriteAsync(model, new LoggedModelInfo { RunId = run.Info.RunId });
        await local.LogArtifactsAsync(run.Info.RunId, model, "model");
        await local.UpdateRunAsync(run.Info.RunId, RunStatus.Finished, 2_000);
        await local.CreateRegisteredModelAsync("intent", tags: new Dictionary<string, string> { ["task"] = "intent" });
        await local.CreateModelVersionAsync("intent", $"runs:/{run.Info.RunId}/model", run.Info.RunId, new Dictionary<string, string> { ["commit"] = "abc" });
        await local.CreateModelVersionAsync("intent", run.Info.ArtifactUri + "/model", run.Info.RunId);
        await local.SetRegisteredModelAliasAsync("intent", "champion", 2);
        await local.SetRegisteredModelAliasAsync("intent", "challenger", 1);
        return (local, run);
    }

    [Fact]
    public async Task I_can_sync_the_local_registry_into_a_server_with_runs_artifacts_versions_and_aliases()
    {
        // Arrange
        var (local, localRun) = await ArrangeLocalAsync();
        using var _ = local;
        using var remote = new MlflowClient(TestClients.FastOptions(_server.BaseUri));

        // Act
        var report = await RegistrySync.SyncAsync(local, remote);

        // Assert
        var experiment = await remote.GetExperimentByNameAsync("intent-classifier");
        Assert.NotNull(experiment);
        var run = Assert.Single((await remote.SearchRunsAsync([experiment.ExperimentId])).Items);
        Assert.Equal(localRun.Info.RunId, run.Data.TagMap[RegistrySync.LocalRunIdTag]);
        Assert.Equal("train-abc", run.Info.RunName);
        Assert.Equal(RunStatus.Finished, run.Info.Status);
        Assert.Equal(2_000, run.Info.EndTime);
        Assert.Equal("2e-05", run.Data.ParamMap["lr"]);
        Assert.Equal("abc", run.Data.TagMap["mlflow.source.git.commit"]);
        Assert.Equal([0.9, 0.4], (await remote.GetMetricHistoryAsync(run.Info.RunId, "loss")).Select(m => m.Value));
        await LoggedModel.DownloadAsync(remote, run.Info.RunId, "model", _temp.Combine("downloaded"));
        var versions = (await remote.SearchModelVersionsAsync("name='intent'")).Items.OrderBy(v => v.Version).ToList();
        Assert.Equal([1, 2], versions.Select(v => v.Version));
        Assert.All(versions, v => Assert.Equal(run.Info.RunId, v.RunId));
        Assert.Equal(run.Info.ArtifactUri + "/model", versions[0].Source);
        Assert.Equal(run.Info.ArtifactUri + "/model", versions[1].Source);
        Assert.Equal("abc", versions[0].Tags["commit"]);
        var model = await remote.GetRegisteredModelAsync("intent");
        Assert.Equal(2, model.Aliases["champion"]);
        Assert.Equal(1, model.Aliases["challenger"]);
        Assert.Equal("intent", model.Tags["task"]);
        Assert.Equal((1, 1, 2, 2), (report.ExperimentsCreated, report.RunsCreated, report.ModelVersionsCreated, report.AliasesSet));
        Assert.Equal(3, report.MetricPointsLogged);
        Assert.Equal(3, report.ArtifactsUploaded);
    }

    [Fact]
    public async Task I_can_sync_twice_and_the_second_pass_creates_nothing()
    {
        // Arrange
        var (local, _) = await ArrangeLocalAsync();
        using var __ = local;
        using var remote = new MlflowClient(TestClients.FastOptions(_server.BaseUri));
        await RegistrySync.SyncAsync(local, remote);
        var putsBefore = _server.Requests.Count(r => r.StartsWith("PUT ", StringComparison.Ordinal));

        // Act
        var second = await RegistrySync.SyncAsync(local, remote);

        // Assert
        Assert.True(second.CreatedNothing, second.ToString());
        Assert.Equal((1, 2), (second.RunsReused, second.ModelVersionsReused));
        Assert.Equal(0, second.AliasesSet);
        Assert.Equal(putsBefore, _server.Requests.Count(r => r.StartsWith("PUT ", StringComparison.Ordinal)));
        Assert.Equal(2, (await remote.SearchModelVersionsAsync("name='intent'")).Items.Count);
        var experiment = await remote.GetExperimentByNameAsync("intent-classifier");
        var run = Assert.Single((await remote.SearchRunsAsync([experiment!.ExperimentId])).Items);
        Assert.Equal(2, (await remote.GetMetricHistoryAsync(run.Info.RunId, "loss")).Count);
    }

    [Fact]
    public async Task I_can_sync_new_local_work_after_a_first_sync_and_only_the_new_version_is_created()
    {
        // Arrange
        var (local, localRun) = await ArrangeLocalAsync();
        using var __ = local;
        using var remote = new MlflowClient(TestClients.FastOptions(_server.BaseUri));
        await RegistrySync.SyncAsync(local, remote);
        await local.LogMetricAsync(localRun.Info.RunId, "loss", 0.2, step: 2, timestamp: 1_250);
        await local.CreateModelVersionAsync("intent", $"runs:/{localRun.Info.RunId}/model", localRun.Info.RunId);
        await local.SetRegisteredModelAliasAsync("intent", "champion", 3);

        // Act
        var report = await RegistrySync.SyncAsync(local, remote);

        // Assert
        Assert.Equal((0, 1, 1, 1), (report.RunsCreated, report.MetricPointsLogged, report.ModelVersionsCreated, report.AliasesSet));
        Assert.Equal(3, (await remote.GetModelVersionByAliasAsync("intent", "champion")).Version);
    }
}
