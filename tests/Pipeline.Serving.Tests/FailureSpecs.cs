using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Serving.Models;

namespace Pipeline.Serving.Tests;

public sealed class FailureSpecs
{
    [Fact]
    public async Task I_get_a_500_problem_when_the_model_throws_and_the_service_keeps_answering()
    {
        // Arrange
        var model = new ScriptedModel("1", texts => texts.Contains("boom") ? throw new InvalidOperationException("kaboom") : ScriptedModel.Answer(texts));
        await using var service = await RunningService.StartAsync(new ServingOptions { Model = "models:/scripted@champion", SmokeText = "ok" }, new ScriptedSource(model));

        // Act
        var failed = await service.Client.PostAsJsonAsync("/v1/predict", new { inputs = new[] { "boom" } });
        var next = await service.Client.PostAsJsonAsync("/v1/predict", new { inputs = new[] { "fine" } });

        // Assert
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal("application/problem+json", failed.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("kaboom", await failed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task I_get_503_with_retry_after_when_the_queue_is_full_instead_of_an_unbounded_queue()
    {
        // Arrange: a model that holds the batcher until released, a queue of one request.
        using var gate = new ManualResetEventSlim(false);
        using var entered = new SemaphoreSlim(0);
        var smoked = 0;
        var model = new ScriptedModel("1", texts =>
        {
            if (Interlocked.Exchange(ref smoked, 1) == 1)
            {
                entered.Release();
                gate.Wait(TimeSpan.FromSeconds(30));
            }

            return ScriptedModel.Answer(texts);
        });
        var options = new ServingOptions { Model = "models:/scripted@champion", QueueCapacity = 1, MaxBatchSize = 1, MaxBatchWaitMilliseconds = 0, RetryAfterSeconds = 2 };
        await using var service = await RunningService.StartAsync(options, new ScriptedSource(model));

        // Act: the first request occupies the model, the second fills the queue, the third is refused.
        var running = service.Client.PostAsJsonAsync("/v1/predict", new { inputs = new[] { "one" } });
        Assert.True(await entered.WaitAsync(TimeSpan.FromSeconds(20)));
        var queued = service.Client.PostAsJsonAsync("/v1/predict", new { inputs = new[] { "two" } });
        while (!(await service.Client.GetStringAsync("/metrics")).Contains("pipeline_queue_depth 1\n", StringComparison.Ordinal))
        {
            await Task.Delay(10);
        }

        var refused = await service.Client.PostAsJsonAsync("/v1/predict", new { inputs = new[] { "three" } });
        gate.Set();

        // Assert
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), refused.Headers.RetryAfter?.Delta);
        var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("queue_capacity", problem.GetProperty("limit").GetString());
        Assert.Equal(HttpStatusCode.OK, (await running).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await queued).StatusCode);
        var metrics = await service.Client.GetStringAsync("/metrics");
        Assert.Contains("pipeline_http_requests_total{route=\"/v1/predict\",method=\"POST\",status=\"503\"}", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task I_get_an_error_at_start_when_the_first_model_cannot_be_loaded()
    {
        // Arrange
        var folder = Path.Combine(Path.GetTempPath(), "serving-missing-" + Guid.NewGuid().ToString("N"));

        // Act
        var error = await Assert.ThrowsAsync<ServingException>(() => RunningService.StartAsync(new ServingOptions { Model = folder }, ModelSource.Onnx()));

        // Assert
        Assert.Contains(folder, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task I_get_an_error_naming_each_option_out_of_range()
    {
        // Arrange
        var options = new ServingOptions { Model = "m", MaxBatchSize = 0, QueueCapacity = 0, PollInterval = TimeSpan.FromMilliseconds(5) };

        // Act
        var error = await Assert.ThrowsAsync<ServingException>(() => RunningService.StartAsync(options, ModelSource.Onnx()));

        // Assert
        Assert.Contains("MaxBatchSize must be in [1, 1024], got 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("QueueCapacity", error.Message, StringComparison.Ordinal);
        Assert.Contains("PollInterval", error.Message, StringComparison.Ordinal);
    }
}
