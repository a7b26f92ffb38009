using Pipeline.Registry.Tests.Fakes;

namespace Pipeline.Registry.Tests;

public sealed class LocalRegistrySpecs : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string MlrunsPath => _temp.Combine("mlruns");

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("latest")]
    [InlineData("LATEST")]
    [InlineData("v1")]
    [InlineData("V12")]
    [InlineData("with space")]
    [InlineData("dot.ted")]
    [InlineData("")]
    public async Task I_get_INVALID_PARAMETER_VALUE_for_a_reserved_or_malformed_alias(string alias)
    {
        // Arrange
        using var registry = new LocalRegistry(MlrunsPath);
        await registry.CreateRegisteredModelAsync("m");
        var v1 = await registry.CreateModelVersionAsync("m", "runs:/x/model");

        // Act
        var error = await Assert.ThrowsAnyAsync<MlflowApiException>(() => registry.SetRegisteredModelAliasAsync("m", alias, v1.Version));

        // Assert
        Assert.Equal(MlflowErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.Contains($"'{alias}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("champion")]
    [InlineData("challenger")]
    [InlineData("v1a")]
    [InlineData("prod-2_eu")]
    public void I_can_use_an_alias_made_of_word_characters_and_dashes(string alias) =>
        Assert.Null(MlflowRules.AliasProblem(alias));

    [Fact]
    public async Task I_get_an_error_for_an_alias_on_a_missing_version_and_the_alias_stays_where_it_was()
    {
        // Arrange
        using var registry = new LocalRegistry(MlrunsPath);
        await registry.CreateRegisteredModelAsync("m");
        await registry.CreateModelVersionAsync("m", "runs:/x/model");
        await registry.SetRegisteredModelAliasAsync("m", "champion", 1);

        // Act
        var error = await Assert.ThrowsAnyAsync<MlflowApiException>(() => registry.SetRegisteredModelAliasAsync("m", "champion", 5));

        // Assert
        Assert.Equal(MlflowErrorCodes.ResourceDoesNotExist, error.ErrorCode);
        Assert.Equal(1, (await registry.GetModelVersionByAliasAsync("m", "champion")).Version);
    }

    [Fact]
    public async Task I_can_register_concurrently_from_two_registries_and_get_versions_1_to_n_without_gaps_or_repeats()
    {
        // Arrange: two instances on one folder, like two processes, each with its own connections.
        using var first = new LocalRegistry(MlrunsPath);
        using var second = new LocalRegistry(MlrunsPath);
        await first.CreateRegisteredModelAsync("m");
        var experiment = await first.GetOrCreateExperimentAsync("e");
        const int Tasks = 8;
        const int PerTask = 5;

        // Act
        var work = Enumerable.Range(0, Tasks).Select(i => Task.Run(async () =>
        {
            var registry = i % 2 == 0 ? first : second;
            var versions = new List<int>();
            for (var j = 0; j < PerTask; j++)
            {
                var run = await registry.CreateRunAsync(experiment.ExperimentId);
                versions.Add((await registry.CreateModelVersionAsync("m", $"runs:/{run.Info.RunId}/model", run.Info.RunId)).Version);
            }

            return versions;
        }));
        var all = (await Task.WhenAll(work)).SelectMany(v => v).ToList();

        // Assert
        Assert.Equal(Enumerable.Range(1, Tasks * PerTask), all.Order());
        var stored = await second.SearchModelVersionsAsync("name='m'", maxResults: 1000);
        Assert.Equal(Tasks * PerTask, stored.Items.Count);
        Assert.Equal(Tasks * PerTask, stored.Items.Select(v => v.RunId).Distinct().Count());
    }

    [Fact]
    public async Task I_can_register_one_run_from_many_tasks_and_two_registries_and_get_one_version()
    {
        // Arrange
        using var first = new LocalRegistry(MlrunsPath);
        using var second = new LocalRegistry(MlrunsPath);
        var experiment = await first.GetOrCreateExperimentAsync("e");
        var run = await first.CreateRunAsync(experiment.ExperimentId);

        // Act
        var versions = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            (i % 2 == 0 ? first : second).RegisterModelVersionAsync("m", $"runs:/{run.Info.RunId}/model", run.Info.RunId))));

        // Assert
        Assert.All(versions, v => Assert.Equal(1, v.Version));
        Assert.Single((await first.SearchModelVersionsAsync("name='m'")).Items);
    }

    [Fact]
    public async Task I_can_create_an_experiment_from_two_registries_at_once_and_both_get_the_same_one()
    {
        // Arrange
        using var first = new LocalRegistry(MlrunsPath);
        using var second = new LocalRegistry(MlrunsPath);

        // Act
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => (i % 2 == 0 ? first : second).GetOrCreateExperimentAsync("shared"))));

        // Assert
        Assert.Single(results.Select(e => e.ExperimentId).Distinct());
        Assert.Single((await first.SearchExperimentsAsync()).Items);
    }

    [Fact]
    public async Task I_can_keep_metric_history_by_step_and_read_the_latest_value_per_key()
    {
        // Arrange
        using var registry = new LocalRegistry(MlrunsPath);
        var experiment = await registry.GetOrCreateExperimentAsync("e");
        var run = await registry.CreateRunAsync(experiment.ExperimentId);

        // Act
        await registry.LogMetricAsync(run.Info.RunId, "acc", 0.5, step: 0, timestamp: 10);
        await registry.LogMetricAsync(run.Info.RunId, "acc", 0.7, step: 2, timestamp: 30);
        await registry.LogMetricAsync(run.Info.RunId, "acc", 0.6, step: 1, timestamp: 20);
        var history = await registry.GetMetricHistoryAsync(run.Info.RunId, "acc");
        var latest = (await registry.GetRunAsync(run.Info.RunId)).Data.Metrics.Single();

        // Assert
        Assert.Equal([0.5, 0.6, 0.7], history.Select(m => m.Value));
        Assert.Equal(new Metric("acc", 0.7, 30, 2), latest);
    }

    [Fact]
    public async Task I_get_an_error_for_a_run_name_that_contradicts_the_runName_tag()
    {
        // Arrange
        using var registry = new LocalRegistry(MlrunsPath);
        var experiment = await registry.GetOrCreateExperimentAsync("e");

        // Act
        var error = await Assert.ThrowsAnyAsync<MlflowApiException>(() =>
            registry.CreateRunAsync(experiment.ExperimentId, "a", new Dictionary<string, string> { ["mlflow.runName"] = "b" }));

        // Assert
        Assert.Equal(MlflowErrorCodes.InvalidParameterValue, error.ErrorCode);
    }

    [Fact]
    public async Task I_can_find_the_database_and_artifacts_under_mlruns_and_no_file_store_layout()
    {
        // Arrange
        using var registry = new LocalRegistry(MlrunsPath);
        var experiment = await registry.GetOrCreateExperimentAsync("e");
        var run = await registry.CreateRunAsync(experiment.ExperimentId);
        var file = await TestClients.WriteFileAsync(_temp.Combine("w.bin"), 100, 3);

        // Act
        await registry.LogArtifactAsync(run.Info.RunId, file, "model");

        // Assert
        Assert.True(File.Exists(Path.Combine(MlrunsPath, "registry.db")));
        Assert.True(File.Exists(Path.Combine(MlrunsPath, "artifacts", experiment.ExperimentId, run.Info.RunId, "artifacts", "model", "w.bin")));
        Assert.Empty(Directory.EnumerateFiles(MlrunsPath, "meta.yaml", SearchOption.AllDirectories));
        Assert.StartsWith("file://", run.Info.ArtifactUri, StringComparison.Ordinal);
    }
}
