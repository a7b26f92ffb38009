using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Pipeline.Serving.Models;

namespace Pipeline.Serving.Tests;

public sealed class EndpointSpecs : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "serving-api-" + Guid.NewGuid().ToString("N"));
    private RunningService _service = null!;

    public async Task InitializeAsync()
    {
        var folder = TinyOnnxModel.Write(Path.Combine(_root, "model"), "5", multitask: true);
        _service = await RunningService.StartAsync(new ServingOptions { Model = folder, MaxInputsPerRequest = 4, MaxTextLength = 50, MaxRequestBodyBytes = 2048 }, ModelSource.Onnx());
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task I_can_predict_and_get_every_head_with_scores_and_the_version_that_answered()
    {
        // Act
        var response = await _service.Client.PostAsJsonAsync("/v1/predict", new { inputs = new[] { "I want a refund, angry", "my password is great" } });
        var body = await Json(response);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("5", body.GetProperty("model").GetProperty("version").GetString());
        Assert.Equal("tiny-intent", body.GetProperty("model").GetProperty("name").GetString());
        var first = body.GetProperty("predictions")[0];
        Assert.Equal("billing", first.GetProperty("label").GetString());
        Assert.Equal("billing", first.GetProperty("heads").GetProperty("intent").GetProperty("label").GetString());
        Assert.Equal("negative", first.GetProperty("heads").GetProperty("sentiment").GetProperty("label").GetString());
        var scores = first.GetProperty("heads").GetProperty("sentiment").GetProperty("scores");
        Assert.Equal(1.0, scores.GetProperty("positive").GetDouble() + scores.GetProperty("negative").GetDouble(), 1e-5);
        Assert.Equal("[\"billing\",\"negative\"]", first.GetProperty("heads").GetProperty("topics").GetProperty("labels").GetRawText());
        var second = body.GetProperty("predictions")[1];
        Assert.Equal("account", second.GetProperty("heads").GetProperty("intent").GetProperty("label").GetString());
        Assert.Equal("positive", second.GetProperty("heads").GetProperty("sentiment").GetProperty("label").GetString());
    }

    [Fact]
    public async Task I_can_call_invocations_like_mlflow_models_serve_with_inputs_or_a_dataframe_split()
    {
        // Act
        var inputs = await _service.Client.PostAsJsonAsync("/invocations", new { inputs = new[] { "refund", "login" } });
        var split = await _service.Client.PostAsync("/invocations", JsonContent(
            """{"dataframe_split": {"columns": ["id", "text"], "data": [[1, "locked out"], [2, "terrible invoice"]]}}"""));

        // Assert
        Assert.Equal(HttpStatusCode.OK, inputs.StatusCode);
        var fromInputs = (await Json(inputs)).GetProperty("predictions");
        Assert.Equal("billing", fromInputs[0].GetProperty("intent").GetString());
        Assert.Equal("account", fromInputs[1].GetProperty("intent").GetString());
        Assert.Equal(HttpStatusCode.OK, split.StatusCode);
        var fromSplit = (await Json(split)).GetProperty("predictions");
        Assert.Equal("account", fromSplit[0].GetProperty("intent").GetString());
        Assert.Equal("negative", fromSplit[1].GetProperty("sentiment").GetString());
        Assert.Equal("[\"billing\",\"negative\"]", fromSplit[1].GetProperty("topics").GetRawText());
    }

    [Fact]
    public async Task I_can_read_the_model_description_health_and_readiness()
    {
        // Act
        var model = await Json(await _service.Client.GetAsync("/v1/model"));
        var health = await _service.Client.GetAsync("/healthz");
        var ready = await _service.Client.GetAsync("/readyz");

        // Assert
        Assert.Equal("tiny-intent", model.GetProperty("name").GetString());
        Assert.Equal("5", model.GetProperty("version").GetString());
        Assert.Equal("c0ffee5", model.GetProperty("commit").GetString());
        Assert.Equal(0.9, model.GetProperty("metrics").GetProperty("macro_f1").GetDouble());
        Assert.Equal(["intent", "sentiment", "topics"], model.GetProperty("heads").EnumerateArray().Select(h => h.GetProperty("name").GetString()));
        Assert.Equal("multi_label", model.GetProperty("heads")[2].GetProperty("kind").GetString());
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var readyBody = await Json(ready);
        Assert.Equal("ready", readyBody.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, readyBody.GetProperty("last_reload_failure").ValueKind);
    }

    [Fact]
    public async Task I_get_400_problems_for_malformed_json_and_missing_or_non_string_inputs()
    {
        // Act
        var malformed = await _service.Client.PostAsync("/v1/predict", JsonContent("{\"inputs\": [\"a\","));
        var missing = await _service.Client.PostAsync("/v1/predict", JsonContent("{\"texts\": [\"a\"]}"));
        var numbers = await _service.Client.PostAsync("/v1/predict", JsonContent("{\"inputs\": [1, 2]}"));
        var empty = await _service.Client.PostAsync("/invocations", JsonContent("{\"inputs\": []}"));

        // Assert
        foreach (var response in new[] { malformed, missing, numbers, empty })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal("Malformed JSON", (await Json(malformed)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task I_get_413_problems_naming_the_limit_for_too_many_inputs_too_long_a_text_or_too_large_a_body()
    {
        // Act
        var many = await _service.Client.PostAsJsonAsync("/v1/predict", new { inputs = new[] { "a", "b", "c", "d", "e" } });
        var longText = await _service.Client.PostAsJsonAsync("/v1/predict", new { inputs = new[] { new string('x', 51) } });
        var large = await _service.Client.PostAsync("/v1/predict", JsonContent("{\"inputs\": [\"" + new string('y', 4096) + "\"]}"));

        // Assert
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, many.StatusCode);
        Assert.Equal("max_inputs_per_request", (await Json(many)).GetProperty("limit").GetString());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, longText.StatusCode);
        var longBody = await Json(longText);
        Assert.Equal("max_text_length", longBody.GetProperty("limit").GetString());
        Assert.Equal(50, longBody.GetProperty("limit_value").GetInt32());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        Assert.Equal("max_request_body_bytes", (await Json(large)).GetProperty("limit").GetString());
    }

    [Fact]
    public async Task I_can_scrape_prometheus_metrics_with_request_counts_latency_batches_and_the_model_version()
    {
        // Arrange
        await _service.Client.PostAsJsonAsync("/v1/predict", new { inputs = new[] { "refund" } });
        await _service.Client.PostAsync("/v1/predict", JsonContent("not json"));

        // Act
        var response = await _service.Client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        // Assert
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("pipeline_http_requests_total{route=\"/v1/predict\",method=\"POST\",status=\"200\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("pipeline_http_requests_total{route=\"/v1/predict\",method=\"POST\",status=\"400\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("pipeline_http_request_duration_seconds_bucket{route=\"/v1/predict\",method=\"POST\",status=\"200\",le=\"+Inf\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("pipeline_model_info{name=\"tiny-intent\",version=\"5\",alias=\"\",commit=\"c0ffee5\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE pipeline_batch_size histogram\n", text, StringComparison.Ordinal);
        Assert.Matches(@"pipeline_batch_size_count [1-9]\d*\n", text);
        Assert.Matches(@"pipeline_inference_duration_seconds_sum \d", text);
        PrometheusFormat.AssertValid(text);
    }

    private static StringContent JsonContent(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
}
