using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Serving.Models;
using Pipeline.Serving.TorchSharp;

namespace Pipeline.Serving.Tests;

[Collection("Sequential")]
public sealed class TorchSharpModelSpecs : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "serving-torch-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task I_can_serve_a_trained_classifier_folder_with_TorchSharp_over_HTTP_and_get_every_head()
    {
        // Arrange
        var folder = TinyClassifier.Write(Path.Combine(_root, "model"), multitask: true);
        await using var service = await RunningService.StartAsync(new ServingOptions { Model = folder }, ModelSource.Default());

        // Act
        var response = await service.Client.PostAsJsonAsync("/v1/predict", new { inputs = new[] { "i want a refund", "my password is locked out" } });
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var model = JsonDocument.Parse(await service.Client.GetStringAsync("/v1/model")).RootElement;

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, body.GetProperty("predictions").GetArrayLength());
        foreach (var prediction in body.GetProperty("predictions").EnumerateArray())
        {
            var intent = prediction.GetProperty("heads").GetProperty("intent");
            Assert.Contains(intent.GetProperty("label").GetString(), new[] { "billing", "account", "other" });
            Assert.Equal(1.0, intent.GetProperty("scores").EnumerateObject().Sum(p => p.Value.GetDouble()), 1e-5);
            var topics = prediction.GetProperty("heads").GetProperty("topics").GetProperty("scores");
            Assert.All(topics.EnumerateObject(), p => Assert.InRange(p.Value.GetDouble(), 0.0, 1.0));
        }

        Assert.Equal(["intent", "topics"], model.GetProperty("heads").EnumerateArray().Select(h => h.GetProperty("name").GetString()));
    }

    [Fact]
    public void A_text_gets_the_same_scores_alone_and_padded_in_a_batch_with_a_longer_one()
    {
        // Arrange
        var folder = TinyClassifier.Write(Path.Combine(_root, "model"), multitask: true);
        using var model = new TorchSharpModelLoader(new TorchSharpModelOptions()).Load(folder, ModelSource.DescribeFolder(folder));

        // Act
        var alone = model.Predict(["refund please"]);
        var batched = model.Predict(["refund please", "how do i reset my password my account is locked out"]);

        // Assert
        for (var h = 0; h < 2; h++)
        {
            var expected = alone[0].Heads[h].Scores;
            var actual = batched[0].Heads[h].Scores;
            Assert.All(expected.Zip(actual), p => Assert.Equal(p.First, p.Second, 1e-5));
        }

        Assert.Equal(["money", "security"], model.Heads[1].Labels);
        Assert.True(model.Heads[1].MultiLabel);
        Assert.Equal([0.3f, 0.7f], model.Heads[1].Thresholds!);
    }

    [Fact]
    public void The_default_source_prefers_ONNX_and_falls_back_to_TorchSharp_only_for_classifier_folders()
    {
        // Arrange
        var classifier = TinyClassifier.Write(Path.Combine(_root, "classifier"));
        var onnx = TinyOnnxModel.Write(Path.Combine(_root, "onnx"), "1");
        var loader = new TorchSharpModelLoader(new TorchSharpModelOptions());

        // Act
        var loadsClassifier = loader.CanLoad(classifier);
        var loadsOnnx = loader.CanLoad(onnx);

        // Assert
        Assert.True(loadsClassifier);
        Assert.False(loadsOnnx);
    }

    [Fact]
    public async Task A_classifier_folder_with_broken_heads_is_refused_with_a_serving_error()
    {
        // Arrange
        var folder = TinyClassifier.Write(Path.Combine(_root, "model"));
        await File.WriteAllTextAsync(Path.Combine(folder, "heads.safetensors"), "not safetensors");

        // Act
        var error = await Record.ExceptionAsync(() => ModelSource.Default().LoadAsync(ModelReference.Parse(folder), CancellationToken.None));

        // Assert
        Assert.IsType<ServingException>(error);
        Assert.Contains(folder, error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
