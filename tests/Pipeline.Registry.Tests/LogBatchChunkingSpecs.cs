using Pipeline.Registry.Tests.Fakes;

namespace Pipeline.Registry.Tests;

public sealed class LogBatchChunkingSpecs : IAsyncLifetime
{
    private FakeMlflowServer _server = null!;
    private MlflowClient Client { get; set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeMlflowServer.StartAsync();
        Client = new MlflowClient(TestClients.FastOptions(_server.BaseUri));
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await _server.DisposeAsync();
    }

    private static List<Metric> Metrics(int n) => Enumerable.Range(0, n).Select(i => new Metric("m" + (i % 7), i, 1000 + i, i)).ToList();

    private static List<Param> Params(int n) => Enumerable.Range(0, n).Select(i => new Param("p" + i, "v" + i)).ToList();

    private static List<RunTag> Tags(int n) => Enumerable.Range(0, n).Select(i => new RunTag("t" + i, "v" + i)).ToList();

    [Theory]
    [InlineData(1000, 0, 0, 1)]
    [InlineData(1001, 0, 0, 2)]
    [InlineData(0, 100, 0, 1)]
    [InlineData(0, 101, 0, 2)]
    [InlineData(0, 0, 100, 1)]
    [InlineData(0, 0, 101, 2)]
    [InlineData(800, 100, 100, 1)]
    [InlineData(801, 100, 100, 2)]
    [InlineData(2500, 250, 150, 3)]
    public async Task I_can_log_a_batch_at_and_over_the_limits_and_every_request_stays_within_them(int metrics, int @params, int tags, int expectedCalls)
    {
        // Arrange
        var experiment = await Client.GetOrCreateExperimentAsync("chunking");
        var run = await Client.CreateRunAsync(experiment.ExperimentId);
        var before = _server.Batches.Count;

        // Act
        await Client.LogBatchAsync(run.Info.RunId, Metrics(metrics), Params(@params), Tags(tags));

        // Assert
        var batches = _server.Batches.Skip(before).ToList();
        Assert.Equal(expectedCalls, batches.Count);
        Assert.All(batches, b =>
        {
            Assert.InRange(b.Metrics, 0, 1000);
            Assert.InRange(b.Params, 0, 100);
            Assert.InRange(b.Tags, 0, 100);
            Assert.InRange(b.Metrics + b.Params + b.Tags, 1, 1000);
        });
        Assert.Equal(metrics, batches.Sum(b => b.Metrics));
        Assert.Equal(@params, batches.Sum(b => b.Params));
        Assert.Equal(tags, batches.Sum(b => b.Tags));
        var read = await Client.GetRunAsync(run.Info.RunId);
        Assert.Equal(@params, read.Data.Params.Count);
    }

    [Fact]
    public async Task I_get_MLflows_limit_error_when_a_request_over_the_limit_reaches_the_server()
    {
        // Arrange
        var experiment = await Client.GetOrCreateExperimentAsync("chunking-limit");
        var run = await Client.CreateRunAsync(experiment.ExperimentId);
        using var http = new HttpClient { BaseAddress = _server.BaseUri };
        var body = "{\"run_id\":\"" + run.Info.RunId + "\",\"params\":[" + string.Join(',', Params(101).Select(p => $"{{\"key\":\"{p.Key}\",\"value\":\"{p.Value}\"}}")) + "]}";

        // Act
        using var response = await http.PostAsync(new Uri("api/2.0/mlflow/runs/log-batch", UriKind.Relative), new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();

        // Assert
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("INVALID_PARAMETER_VALUE", text, StringComparison.Ordinal);
        Assert.Contains("at most 100 params", text, StringComparison.Ordinal);
    }

    [Fact]
    public void I_can_chunk_params_first_then_tags_then_metrics_into_the_space_left()
    {
        // Act
        var chunks = LogBatchChunker.Chunk(Metrics(1000), Params(100), Tags(50));

        // Assert
        Assert.Equal(2, chunks.Count);
        Assert.Equal((850, 100, 50), (chunks[0].Metrics.Count, chunks[0].Params.Count, chunks[0].Tags.Count));
        Assert.Equal((150, 0, 0), (chunks[1].Metrics.Count, chunks[1].Params.Count, chunks[1].Tags.Count));
        Assert.Empty(LogBatchChunker.Chunk([], [], []));
    }
}
