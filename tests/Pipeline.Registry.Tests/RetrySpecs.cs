using Pipeline.Registry.Tests.Fakes;

namespace Pipeline.Registry.Tests;

public sealed class RetrySpecs : IAsyncLifetime
{
    private FakeMlflowServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeMlflowServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<(MlflowClient Client, Run Run, string Model)> ArrangeAsync(MlflowClientOptions? options = null)
    {
        var client = new MlflowClient(options ?? TestClients.FastOptions(_server.BaseUri));
        var experiment = await client.GetOrCreateExperimentAsync("retry");
        var run = await client.CreateRunAsync(experiment.ExperimentId);
        var model = TestClients.Unique("model");
        await client.CreateRegisteredModelAsync(model);
        return (client, run, model);
    }

    [Fact]
    public async Task I_can_create_a_version_once_when_the_server_creates_it_and_drops_the_answer()
    {
        // Arrange
        var (client, run, model) = await ArrangeAsync();
        using var _ = client;
        _server.FailAfterCreatingVersions(1);

        // Act
        var version = await client.CreateModelVersionAsync(model, $"runs:/{run.Info.RunId}/model", run.Info.RunId);
        var all = await client.SearchModelVersionsAsync($"name='{model}'");

        // Assert
        Assert.Equal(1, version.Version);
        Assert.Equal(ModelVersionStatus.Ready, version.Status);
        Assert.Single(all.Items);
        Assert.Equal(1, _server.Count("POST /api/2.0/mlflow/model-versions/create"));
    }

    [Fact]
    public async Task I_can_rerun_a_registration_that_died_after_the_server_created_the_version_without_a_second_version()
    {
        // Arrange: no retries, so the first registration fails like a killed process would.
        var (client, run, model) = await ArrangeAsync(TestClients.FastOptions(_server.BaseUri) with { MaxRetries = 0 });
        using var _ = client;
        _server.FailAfterCreatingVersions(1);
        var source = $"runs:/{run.Info.RunId}/model";
        var failure = await Assert.ThrowsAnyAsync<MlflowApiException>(() => client.RegisterModelVersionAsync(model, source, run.Info.RunId));

        // Act
        var again = await client.RegisterModelVersionAsync(model, source, run.Info.RunId);
        var all = await client.SearchModelVersionsAsync($"name='{model}'");

        // Assert
        Assert.Equal(0, failure.StatusCode);
        Assert.True(failure.IsTransient);
        Assert.Equal(1, again.Version);
        Assert.Single(all.Items);
    }

    [Fact]
    public async Task I_can_call_through_503s_that_ask_to_retry_after_a_delay()
    {
        // Arrange
        var (client, _, _) = await ArrangeAsync();
        using var __ = client;
        var logger = new CollectingLogger();
        using var logged = new MlflowClient(TestClients.FastOptions(_server.BaseUri), logger);
        _server.FailNextRequests(2);

        // Act
        var experiment = await logged.GetExperimentByNameAsync("retry");

        // Assert
        Assert.NotNull(experiment);
        Assert.Equal(2, logger.Lines.Count(l => l.Contains("HTTP 503", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task I_get_an_error_with_endpoint_and_status_when_retries_run_out()
    {
        // Arrange
        var (client, _, _) = await ArrangeAsync();
        using var _ = client;
        _server.FailNextRequests(10);

        // Act
        var error = await Assert.ThrowsAnyAsync<MlflowApiException>(() => client.GetExperimentByNameAsync("retry"));
        _server.FailNextRequests(0);

        // Assert
        Assert.Equal(503, error.StatusCode);
        Assert.Contains("GET /api/2.0/mlflow/experiments/get-by-name", error.Message, StringComparison.Ordinal);
        Assert.Contains("Service Unavailable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task I_get_a_clear_error_for_a_non_JSON_404_from_a_wrong_base_url()
    {
        // Arrange
        using var client = new MlflowClient(TestClients.FastOptions(new Uri(_server.BaseUri, "not-mlflow/")));

        // Act
        var error = await Assert.ThrowsAnyAsync<MlflowApiException>(() => client.GetRunAsync("abc"));

        // Assert
        Assert.Equal(404, error.StatusCode);
        Assert.Equal("", error.ErrorCode);
        Assert.Contains("non-JSON answer (text/html)", error.Message, StringComparison.Ordinal);
        Assert.Contains("MLFLOW_TRACKING_URI", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task I_get_a_connection_error_with_status_0_when_no_server_listens()
    {
        // Arrange
        var uri = _server.BaseUri;
        await _server.DisposeAsync();
        _server = await FakeMlflowServer.StartAsync();
        using var client = new MlflowClient(TestClients.FastOptions(uri) with { MaxRetries = 1 });

        // Act
        var error = await Assert.ThrowsAnyAsync<MlflowApiException>(() => client.GetRunAsync("abc"));

        // Assert
        Assert.Equal(0, error.StatusCode);
        Assert.Contains("connection failed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task I_get_a_clear_error_when_a_version_stays_pending_past_the_wait_and_can_read_it_later()
    {
        // Arrange
        var (client, run, model) = await ArrangeAsync();
        using var _ = client;
        _server.PendingFor = TimeSpan.FromHours(1);

        // Act
        var error = await Assert.ThrowsAsync<Errors.PipelineException>(() =>
            client.CreateModelVersionAsync(model, $"runs:/{run.Info.RunId}/model", run.Info.RunId, awaitCreationFor: TimeSpan.FromMilliseconds(50)));
        var pending = await client.GetModelVersionAsync(model, 1);

        // Assert
        Assert.Contains("still PENDING_REGISTRATION", error.Message, StringComparison.Ordinal);
        Assert.Equal(ModelVersionStatus.PendingRegistration, pending.Status);
    }
}
