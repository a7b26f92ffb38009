using Pipeline.Registry.Tests.Fakes;

namespace Pipeline.Registry.Tests;

/// <summary>
/// The client contract, run unchanged against the fake server (through <see cref="MlflowClient"/>),
/// the embedded <see cref="LocalRegistry"/>, and whatever MLFLOW_TRACKING_URI points at.
/// Every name is unique, so the suite can run against a shared server.
/// </summary>
public abstract class ConformanceSpecs : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _temp = new();

    protected IMlflowClient Client { get; private set; } = null!;

    /// <summary>Why this target is skipped, or null.</summary>
    protected virtual string? SkipReason => null;

    protected string TempPath(params string[] parts) => _temp.Combine(parts);

    protected abstract Task<IMlflowClient> CreateClientAsync(string tempPath);

    public async Task InitializeAsync()
    {
        if (SkipReason is null)
        {
            Client = await CreateClientAsync(_temp.Path);
        }
    }

    public virtual Task DisposeAsync()
    {
        Client?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _temp.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<Run> NewRunAsync(string? runName = null)
    {
        var experiment = await Client.GetOrCreateExperimentAsync(TestClients.Unique("conformance"));
        return await Client.CreateRunAsync(experiment.ExperimentId, runName, new Dictionary<string, string>
        {
            ["mlflow.user"] = "ci", ["mlflow.source.type"] = "JOB",
        });
    }

    [SkippableFact]
    public async Task I_can_get_or_create_an_experiment_and_get_RESOURCE_ALREADY_EXISTS_for_a_duplicate_name()
    {
        Skip.If(SkipReason is not null, SkipReason);

        // Arrange
        var name = TestClients.Unique("exp");

        // Act
        var missing = await Client.GetExperimentByNameAsync(name);
        var created = await Client.GetOrCreateExperimentAsync(name);
        var again = await Client.GetOrCreateExperimentAsync(name);
        var duplicate = await Assert.ThrowsAnyAsync<MlflowApiException>(() => Client.CreateExperimentAsync(name));

        // Assert
        Assert.Null(missing);
        Assert.Equal(created.ExperimentId, again.ExperimentId);
        Assert.Equal(name, again.Name);
        Assert.Equal("active", again.LifecycleStage);
        Assert.Equal(MlflowErrorCodes.ResourceAlreadyExists, duplicate.ErrorCode);
        Assert.Equal(400, duplicate.StatusCode);
    }

    [SkippableFact]
    public async Task I_can_create_a_run_log_a_batch_and_read_latest_metrics_history_params_and_tags()
    {
        Skip.If(SkipReason is not null, SkipReason);

        // Arrange
        var run = await NewRunAsync("train-1");
        var metrics = new[]
        {
            new Metric("loss", 0.9, 1000, 0), new Metric("loss", 0.5, 2000, 1), new Metric("loss", 0.25, 3000, 2),
            new Metric("nan_metric", double.NaN, 1000, 0),
        };

        // Act
        await Client.LogBatchAsync(run.Info.RunId, metrics, [new Param("lr", "2e-05"), new Param("epochs", "3")], [new RunTag("stage", "train")]);
        var read = await Client.GetRunAsync(run.Info.RunId);
        var history = await Client.GetMetricHistoryAsync(run.Info.RunId, "loss");

        // Assert
        Assert.Equal("train-1", read.Info.RunName);
        Assert.Equal(RunStatus.Running, read.Info.Status);
        Assert.Equal("train-1", read.Data.TagMap["mlflow.runName"]);
        Assert.Equal("ci", read.Data.TagMap["mlflow.user"]);
        Assert.Equal("train", read.Data.TagMap["stage"]);
        Assert.Equal("2e-05", read.Data.ParamMap["lr"]);
        Assert.Equal(0.25, read.Data.Metrics.Single(m => m.Key == "loss").Value);
        Assert.True(double.IsNaN(read.Data.Metrics.Single(m => m.Key == "nan_metric").Value));
        Assert.Equal([0L, 1L, 2L], history.Select(m => m.Step));
        Assert.Equal([0.9, 0.5, 0.25], history.Select(m => m.Value));
    }

    [SkippableFact]
    public async Task I_can_relog_an_equal_param_and_get_an_error_naming_the_key_and_both_values_for_a_different_one()
    {
        Skip.If(SkipReason is not null, SkipReason);

        // Arrange
        var run = await NewRunAsync();
        await Client.LogBatchAsync(run.Info.RunId, @params: [new Param("lr", "2e-5")]);

        // Act
        await Client.LogBatchAsync(run.Info.RunId, @params: [new Param("lr", "2e-5")]);
        var error = await Assert.ThrowsAsync<ParamValueChangedException>(() => Client.LogBatchAsync(run.Info.RunId, @params: [new Param("lr", "3e-5")]));

        // Assert
        Assert.Equal("lr", error.Key);
        Assert.Equal("2e-5", error.OldValue);
        Assert.Equal("3e-5", error.NewValue);
        Assert.Contains("'lr'", error.Message, StringComparison.Ordinal);
        Assert.Contains("2e-5", error.Message, StringComparison.Ordinal);
        Assert.Contains("3e-5", error.Message, StringComparison.Ordinal);
        Assert.Equal(MlflowErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.Equal("2e-5", (await Client.GetRunAsync(run.Info.RunId)).Data.ParamMap["lr"]);
    }

    [SkippableFact]
    public async Task I_can_finish_a_run_with_an_end_time_and_set_its_description()
    {
        Skip.If(SkipReason is not null, SkipReason);

        // Arrange
        var run = await NewRunAsync();

        // Act
        await Client.SetRunDescriptionAsync(run.Info.RunId, "# Report\nAll good.");
        var info = await Client.UpdateRunAsync(run.Info.RunId, RunStatus.Finished, 1_700_000_000_000);
        var read = await Client.GetRunAsync(run.Info.RunId);

        // Assert
        Assert.Equal(RunStatus.Finished, info.Status);
        Assert.Equal(RunStatus.Finished, read.Info.Status);
        Assert.Equal(1_700_000_000_000, read.Info.EndTime);
        Assert.Equal("# Report\nAll good.", read.Data.TagMap["mlflow.note.content"]);
    }

    [SkippableFact]
    public async Task I_can_upload_list_and_download_artifacts_byte_for_byte()
    {
        Skip.If(SkipReason is not null, SkipReason);

        // Arrange
        var run = await NewRunAsync();
        var folder = TempPath("model-out");
        await TestClients.WriteFileAsync(Path.Combine(folder, "data", "weights.bin"), 3 * 1024 * 1024 + 17, 1);
        await File.WriteAllTextAsync(Path.Combine(folder, "labels.json"), "[\"a\",\"b\"]");
        await LoggedModel.WriteAsync(folder, new LoggedModelInfo { RunId = run.Info.RunId });

        // Act
        await Client.LogArtifactsAsync(run.Info.RunId, folder, "model");
        var top = await Client.ListArtifactsAsync(run.Info.RunId, "model");
        var files = await Client.ListArtifactFilesAsync(run.Info.RunId);
        await LoggedModel.DownloadAsync(Client, run.Info.RunId, "model", TempPath("model-in"));

        // Assert
        Assert.Contains(new ArtifactFile("model/data", true, null), top);
        Assert.Contains(top, f => f.Path == "model/MLmodel" && !f.IsDir && f.FileSize > 0);
        Assert.Equal(["model/MLmodel", "model/checksums.sha256", "model/data/weights.bin", "model/labels.json"], files.Select(f => f.Path));
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(folder, "data", "weights.bin")), await File.ReadAllBytesAsync(TempPath("model-in", "data", "weights.bin")));
        Assert.Empty(await Client.ListArtifactsAsync(run.Info.RunId, "nothing-here"));
    }

    [SkippableFact]
    public async Task I_can_register_versions_numbered_from_1_and_find_them_by_run_id_page_by_page()
    {
        Skip.If(SkipReason is not null, SkipReason);

        // Arrange
        var model = TestClients.Unique("model");
        var run = await NewRunAsync();
        var created = await Client.CreateRegisteredModelAsync(model, "test model", new Dictionary<string, string> { ["team"] = "ml" });
        var duplicate = await Assert.ThrowsAnyAsync<MlflowApiException>(() => Client.CreateRegisteredModelAsync(model));

        // Act
        var versions = new List<ModelVersion>();
        for (var i = 0; i < 3; i++)
        {
            versions.Add(await Client.CreateModelVersionAsync(model, $"runs:/{run.Info.RunId}/model", run.Info.RunId, new Dictionary<string, string> { ["i"] = $"{i}" }));
        }

        var first = await Client.SearchModelVersionsAsync($"run_id='{run.Info.RunId}'", maxResults: 2);
        var second = await Client.SearchModelVersionsAsync($"run_id='{run.Info.RunId}'", maxResults: 2, pageToken: first.NextPageToken);

        // Assert
        Assert.Equal("ml", created.Tags["team"]);
        Assert.Equal(MlflowErrorCodes.ResourceAlreadyExists, duplicate.ErrorCode);
        Assert.Equal([1, 2, 3], versions.Select(v => v.Version));
        Assert.All(versions, v => Assert.Equal(ModelVersionStatus.Ready, v.Status));
        Assert.All(versions, v => Assert.Equal(run.Info.RunId, v.RunId));
        Assert.Equal(2, first.Items.Count);
        Assert.NotNull(first.NextPageToken);
        Assert.Single(second.Items);
        Assert.Null(second.NextPageToken);
        Assert.Equal([1, 2, 3], first.Items.Concat(second.Items).Select(v => v.Version).Order());
        Assert.Equal([3, 2, 1], first.Items.Concat(second.Items).Select(v => v.Version));
    }

    [SkippableFact]
    public async Task I_can_move_an_alias_resolve_it_and_delete_it_and_get_INVALID_PARAMETER_VALUE_for_an_unknown_alias()
    {
        Skip.If(SkipReason is not null, SkipReason);

        // Arrange
        var model = TestClients.Unique("model");
        var run = await NewRunAsync();
        await Client.CreateRegisteredModelAsync(model);
        var v1 = await Client.CreateModelVersionAsync(model, $"runs:/{run.Info.RunId}/model", run.Info.RunId);
        var v2 = await Client.CreateModelVersionAsync(model, $"runs:/{run.Info.RunId}/model", run.Info.RunId);

        // Act
        await Client.SetRegisteredModelAliasAsync(model, "champion", v1.Version);
        await Client.SetRegisteredModelAliasAsync(model, "champion", v2.Version);
        await Client.SetRegisteredModelAliasAsync(model, "challenger", v1.Version);
        var champion = await Client.GetModelVersionByAliasAsync(model, "champion");
        var registered = await Client.GetRegisteredModelAsync(model);
        await Client.DeleteRegisteredModelAliasAsync(model, "challenger");
        var unknown = await Assert.ThrowsAnyAsync<MlflowApiException>(() => Client.GetModelVersionByAliasAsync(model, "challenger"));
        var reserved = await Assert.ThrowsAnyAsync<MlflowApiException>(() => Client.SetRegisteredModelAliasAsync(model, "v1", v1.Version));
        var latest = await Assert.ThrowsAnyAsync<MlflowApiException>(() => Client.SetRegisteredModelAliasAsync(model, "Latest", v1.Version));

        // Assert
        Assert.Equal(2, champion.Version);
        Assert.Contains("champion", champion.Aliases);
        Assert.Equal(2, registered.Aliases["champion"]);
        Assert.Equal(1, registered.Aliases["challenger"]);
        Assert.Equal(MlflowErrorCodes.InvalidParameterValue, unknown.ErrorCode);
        Assert.Equal(400, unknown.StatusCode);
        Assert.Equal(MlflowErrorCodes.InvalidParameterValue, reserved.ErrorCode);
        Assert.Equal(MlflowErrorCodes.InvalidParameterValue, latest.ErrorCode);
    }

    [SkippableFact]
    public async Task I_can_set_and_delete_version_and_model_tags_and_describe_a_version()
    {
        Skip.If(SkipReason is not null, SkipReason);

        // Arrange
        var model = TestClients.Unique("model");
        var run = await NewRunAsync();
        await Client.CreateRegisteredModelAsync(model);
        var v1 = await Client.CreateModelVersionAsync(model, $"runs:/{run.Info.RunId}/model", run.Info.RunId);

        // Act
        await Client.SetModelVersionTagAsync(model, v1.Version, "gate", "passed");
        await Client.SetModelVersionTagAsync(model, v1.Version, "tmp", "x");
        await Client.DeleteModelVersionTagAsync(model, v1.Version, "tmp");
        await Client.SetRegisteredModelTagAsync(model, "owner", "ml-team");
        await Client.SetRegisteredModelTagAsync(model, "tmp", "x");
        await Client.DeleteRegisteredModelTagAsync(model, "tmp");
        var described = await Client.UpdateModelVersionAsync(model, v1.Version, "LoRA r=8 on commit abc");
        var version = await Client.GetModelVersionAsync(model, v1.Version);
        var registered = await Client.GetRegisteredModelAsync(model);

        // Assert
        Assert.Equal("LoRA r=8 on commit abc", described.Description);
        Assert.Equal("passed", version.Tags["gate"]);
        Assert.False(version.Tags.ContainsKey("tmp"));
        Assert.Equal("ml-team", registered.Tags["owner"]);
        Assert.False(registered.Tags.ContainsKey("tmp"));
    }

    [SkippableFact]
    public async Task I_get_RESOURCE_DOES_NOT_EXIST_for_a_missing_run_model_or_version()
    {
        Skip.If(SkipReason is not null, SkipReason);

        // Arrange
        var model = TestClients.Unique("model");

        // Act
        var run = await Assert.ThrowsAnyAsync<MlflowApiException>(() => Client.GetRunAsync(Guid.NewGuid().ToString("N")));
        var registered = await Assert.ThrowsAnyAsync<MlflowApiException>(() => Client.GetRegisteredModelAsync(model));
        await Client.CreateRegisteredModelAsync(model);
        var version = await Assert.ThrowsAnyAsync<MlflowApiException>(() => Client.GetModelVersionAsync(model, 7));

        // Assert
        Assert.All([run, registered, version], e =>
        {
            Assert.Equal(MlflowErrorCodes.ResourceDoesNotExist, e.ErrorCode);
            Assert.Equal(404, e.StatusCode);
        });
    }

    [SkippableFact]
    public async Task I_can_register_the_same_run_twice_and_get_the_same_version()
    {
        Skip.If(SkipReason is not null, SkipReason);

        // Arrange
        var model = TestClients.Unique("model");
        var run = await NewRunAsync();
        var tags = new Dictionary<string, string> { ["commit"] = "abc123" };

        // Act
        var first = await Client.RegisterModelVersionAsync(model, $"runs:/{run.Info.RunId}/model", run.Info.RunId, tags);
        var second = await Client.RegisterModelVersionAsync(model, $"runs:/{run.Info.RunId}/model", run.Info.RunId, tags);
        var all = await Client.SearchModelVersionsAsync($"name='{model}'");

        // Assert
        Assert.Equal(1, first.Version);
        Assert.Equal(first.Version, second.Version);
        Assert.Single(all.Items);
        Assert.Equal("abc123", all.Items[0].Tags["commit"]);
    }
}
