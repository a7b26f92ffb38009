using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Serving.Models;

namespace Pipeline.Serving.Tests;

/// <summary>How /v1/predict takes images: base64 in JSON (plain or data: URLs) and multipart uploads.</summary>
public sealed class ImageRequestSpecs
{
    private static readonly byte[] Small = [1, 2, 3];
    private static readonly byte[] Large = [.. Enumerable.Range(0, 40).Select(i => (byte)i)];

    [Fact]
    public async Task I_can_send_images_as_base64_json_or_data_urls_and_get_one_prediction_per_image()
    {
        // Arrange
        await using var service = await StartAsync(new ByteCountModel());
        var body = new { images = new[] { Convert.ToBase64String(Small), "data:image/png;base64," + Convert.ToBase64String(Large) } };

        // Act
        using var response = await service.Client.PostAsJsonAsync("/v1/predict", body);

        // Assert: the model saw the decoded files, in order.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var labels = json.RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("label").GetString()).ToList();
        Assert.Equal(["small", "large"], labels);
    }

    [Fact]
    public async Task I_can_upload_images_as_multipart_form_data()
    {
        // Arrange
        await using var service = await StartAsync(new ByteCountModel());
        using var form = new MultipartFormDataContent();
        using var first = new ByteArrayContent(Large);
        first.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var second = new ByteArrayContent(Small);
        second.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(first, "image", "coat.png");
        form.Add(second, "image", "shoe.jpg");

        // Act
        using var response = await service.Client.PostAsync("/v1/predict", form);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var labels = json.RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("label").GetString()).ToList();
        Assert.Equal(["large", "small"], labels);
    }

    [Fact]
    public async Task I_get_a_400_naming_the_input_that_is_not_base64_and_a_415_for_an_upload_to_a_text_model()
    {
        // Arrange
        await using var images = await StartAsync(new ByteCountModel());
        await using var texts = await StartAsync(new ScriptedModel("1"));
        using var form = new MultipartFormDataContent();
        using var file = new ByteArrayContent(Small);
        form.Add(file, "image", "shoe.png");

        // Act
        using var invalid = await images.Client.PostAsJsonAsync("/v1/predict", new { images = new[] { Convert.ToBase64String(Small), "not base64!" } });
        using var upload = await texts.Client.PostAsync("/v1/predict", form);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("Image 1 is not base64", await invalid.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, upload.StatusCode);
        Assert.Contains("classifies texts", await upload.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static Task<RunningService> StartAsync(IServingModel model) =>
        RunningService.StartAsync(new ServingOptions { Model = "models:/shapes@champion", PollInterval = TimeSpan.Zero }, new ScriptedSource(model));

    /// <summary>An image model that labels each decoded file by its size: "small" under 10 bytes, else "large".</summary>
    private sealed class ByteCountModel : IServingModel
    {
        public ModelDescriptor Descriptor { get; } = new("shapes", "1", null, null, new Dictionary<string, double>());

        public IReadOnlyList<ModelHead> Heads { get; } = [new ModelHead("label", ["small", "large"])];

        public ModelModality Modality => ModelModality.Image;

        public IReadOnlyList<ModelPrediction> Predict(IReadOnlyList<string> texts) =>
            [.. texts.Select(t => Convert.FromBase64String(t).Length < 10
                ? new ModelPrediction([new HeadPrediction("label", "small", [0.9f, 0.1f])])
                : new ModelPrediction([new HeadPrediction("label", "large", [0.1f, 0.9f])]))];

        public void Dispose()
        {
        }
    }
}
