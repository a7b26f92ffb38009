using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Serving.Models;

namespace Pipeline.Serving.Tests;

public sealed class ChampionSwapSpecs : IAsyncLifetime
{
    private const string Token = "s3cret-admin-token";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "serving-swap-" + Guid.NewGuid().ToString("N"));
    private readonly string _tokenVariable = "PIPELINE_TEST_ADMIN_TOKEN_" + Guid.NewGuid().ToString("N");
    private readonly InMemoryRegistry _registry = new();
    private RunningService _service = null!;

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable(_tokenVariable, Token);
        _registry.Register("1", TinyOnnxModel.Write(Path.Combine(_root, "v1"), "1"));
        _registry.Register("2", TinyOnnxModel.Write(Path.Combine(_root, "v2"), "2", scale: 10f));
        _registry.Register("3", TinyOnnxModel.WriteCorrupt(Path.Combine(_root, "v3"), "3"));
        _registry.Register("4", TinyOnnxModel.Write(Path.Combine(_root, "v4"), "4", nanWeights: true));
        _registry.SetAlias("1");
        var options = new ServingOptions
        {
            Model = "models:/tiny-intent@champion",
            AdminTokenVariable = _tokenVariable,
            PollInterval = TimeSpan.Zero,
            MaxBatchWaitMilliseconds = 1,
        };
        _service = await RunningService.StartAsync(options, ModelSource.Onnx(_registry));
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        Environment.SetEnvironmentVariable(_tokenVariable, null);
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task I_can_serve_a_registry_alias_and_see_the_alias_and_commit_it_resolved_to()
    {
        // Act
        var model = JsonDocument.Parse(await _service.Client.GetStringAsync("/v1/model")).RootElement;

        // Assert
        Assert.Equal("1", model.GetProperty("version").GetString());
        Assert.Equal("champion", model.GetProperty("alias").GetString());
        Assert.Equal("commit-1", model.GetProperty("commit").GetString());
        Assert.Equal("models:/tiny-intent@champion", model.GetProperty("reference").GetString());
    }

    [Fact]
    public async Task I_can_call_invocations_on_a_single_head_model_and_get_plain_labels_as_mlflow_does()
    {
        // Act
        var instances = await _service.Client.PostAsJsonAsync("/invocations", new { instances = new[] { "refund", "locked" } });
        var records = await _service.Client.PostAsJsonAsync("/invocations", new { dataframe_records = new[] { new { text = "login" } } });

        // Assert
        Assert.Equal("[\"billing\",\"account\"]", JsonDocument.Parse(await instances.Content.ReadAsStringAsync()).RootElement.GetProperty("predictions").GetRawText());
        Assert.Equal("1", instances.Headers.GetValues("X-Model-Version").Single());
        Assert.Equal("[\"account\"]", JsonDocument.Parse(await records.Content.ReadAsStringAsync()).RootElement.GetProperty("predictions").GetRawText());
    }

    [Fact]
    public async Task I_get_401_without_a_bearer_token_and_403_with_a_wrong_one()
    {
        // Act
        var none = await _service.Client.PostAsync("/admin/reload", null);
        var wrong = await Reload("not-the-token");

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
    }

    [Fact]
    public async Task I_can_swap_the_champion_under_concurrent_load_without_a_failed_request()
    {
        // Arrange: eight clients send requests until the swap is done and a few more after.
        var statuses = new ConcurrentBag<HttpStatusCode>();
        var versions = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 8).Select(async c =>
        {
            var sentAfterStop = 0;
            while (sentAfterStop < 5)
            {
                if (stop.IsCancellationRequested)
                {
                    sentAfterStop++;
                }

                var response = await _service.Client.PostAsJsonAsync("/v1/predict", new { inputs = new[] { $"refund {c}", "login" } });
                statuses.Add(response.StatusCode);
                if (response.IsSuccessStatusCode)
                {
                    var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                    versions.Add(body.GetProperty("model").GetProperty("version").GetString()!);
                    Assert.Equal("billing", body.GetProperty("predictions")[0].GetProperty("label").GetString());
                }
            }
        }).ToList();
        while (versions.IsEmpty)
        {
            await Task.Delay(10);
        }

        // Act
        _registry.SetAlias("2");
        var reload = await Reload(Token);
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        // Assert
        Assert.Equal(HttpStatusCode.OK, reload.StatusCode);
        var result = JsonDocument.Parse(await reload.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("swapped", result.GetProperty("outcome").GetString());
        Assert.Equal("2", result.GetProperty("version").GetString());
        Assert.Equal("1", result.GetProperty("previous_version").GetString());
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Contains("1", versions);
        Assert.Contains("2", versions);
        var model = JsonDocument.Parse(await _service.Client.GetStringAsync("/v1/model")).RootElement;
        Assert.Equal("2", model.GetProperty("version").GetString());
        Assert.Contains("pipeline_model_info{name=\"tiny-intent\",version=\"2\"", await _service.Client.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("3", "ONNX Runtime cannot load")]
    [InlineData("4", "smoke prediction")]
    public async Task I_see_a_broken_version_refused_while_the_old_one_keeps_serving(string broken, string reason)
    {
        // Arrange
        _registry.SetAlias(broken);

        // Act
        var reload = await Reload(Token);
        var predict = await _service.Client.PostAsJsonAsync("/v1/predict", new { inputs = new[] { "refund" } });
        var ready = await _service.Client.GetAsync("/readyz");

        // Assert
        Assert.Equal(HttpStatusCode.Conflict, reload.StatusCode);
        var problem = JsonDocument.Parse(await reload.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("1", problem.GetProperty("serving_version").GetString());
        Assert.Equal(broken, problem.GetProperty("refused_version").GetString());
        Assert.Equal(HttpStatusCode.OK, predict.StatusCode);
        Assert.Equal("1", JsonDocument.Parse(await predict.Content.ReadAsStringAsync()).RootElement.GetProperty("model").GetProperty("version").GetString());
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var failure = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("last_reload_failure");
        Assert.Equal(broken, failure.GetProperty("version").GetString());
        Assert.Contains(reason, failure.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("pipeline_model_reloads_total{result=\"refused\"} 1", await _service.Client.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task I_get_unchanged_when_the_alias_still_points_at_the_serving_version()
    {
        // Act
        var reload = await Reload(Token);

        // Assert
        Assert.Equal(HttpStatusCode.OK, reload.StatusCode);
        Assert.Equal("unchanged", JsonDocument.Parse(await reload.Content.ReadAsStringAsync()).RootElement.GetProperty("outcome").GetString());
    }

    private async Task<HttpResponseMessage> Reload(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/reload");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _service.Client.SendAsync(request);
    }
}
