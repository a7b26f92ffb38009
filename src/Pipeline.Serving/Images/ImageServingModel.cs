using System.Text.Json;
using Pipeline.Data.Images;
using Pipeline.Errors;
using Pipeline.Serving.Models;
using Pipeline.Serving.TorchSharp;
using Pipeline.Training.Devices;
using Pipeline.Training.Loading;
using Pipeline.Training.Models;
using Pipeline.Training.Vision;

namespace Pipeline.Serving.Images;

/// <summary>
/// An image classifier trained by the pipeline (a ResNet with a new final layer, see
/// <see cref="ImageClassifier"/>), run by TorchSharp: each input is an image file in base64,
/// decoded (PNG, JPEG, BMP, GIF, WebP; grey expanded to RGB), its shorter side resized and its
/// centre cropped exactly as the test split was, then classified.
/// </summary>
public sealed class ImageServingModel : IServingModel
{
    private readonly ImageClassifier _model;
    private readonly Lock _lock = new();

    private ImageServingModel(ImageClassifier model, ModelDescriptor descriptor)
    {
        _model = model;
        Descriptor = descriptor;
        Heads = [.. model.Tasks.Select(t => new ModelHead(t.Name, t.LabelNames ?? [.. Enumerable.Range(0, t.NumLabels).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))]))];
    }

    public ModelDescriptor Descriptor { get; }

    public IReadOnlyList<ModelHead> Heads { get; }

    public ModelModality Modality => ModelModality.Image;

    /// <summary>True when <paramref name="folder"/> holds a trained image classifier (config.json with its tasks and image size).</summary>
    public static bool IsImageClassifierFolder(string folder)
    {
        var path = Path.Combine(folder, HuggingFaceFolder.ConfigFile);
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            using var config = JsonDocument.Parse(File.ReadAllText(path));
            return config.RootElement.ValueKind == JsonValueKind.Object
                && config.RootElement.TryGetProperty("image_size", out var size) && size.ValueKind == JsonValueKind.Number
                && config.RootElement.TryGetProperty("tasks", out var tasks) && tasks.ValueKind == JsonValueKind.Array;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Loads the classifier folder onto the device <paramref name="options"/> asks for; throws <see cref="ServingException"/> saying what is wrong.</summary>
    public static ImageServingModel Load(string folder, ModelDescriptor descriptor, TorchSharpModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        try
        {
            return new ImageServingModel(ImageClassifier.Load(folder, TorchDevices.Resolve(options.Device)), descriptor);
        }
        catch (Exception e) when (e is PipelineException or ModelLoadException or InvalidOperationException or ArgumentException or IOException)
        {
            throw new ServingException($"TorchSharp cannot load the image classifier folder '{folder}': {e.Message}", e);
        }
    }

    /// <summary>
    /// Decodes one base64 image file and prepares it as Format prepared the training images (shorter
    /// side to <paramref name="resize"/>, centre square); a <see cref="ServingException"/> names what is wrong with it.
    /// </summary>
    public static RgbImage Prepare(string base64, int resize)
    {
        try
        {
            return ImagePreparation.Prepare(Convert.FromBase64String(base64), resize);
        }
        catch (FormatException e)
        {
            throw new ServingException($"The input is not base64: {e.Message}", e);
        }
        catch (ImageDecodeException e)
        {
            throw new ServingException(e.Message, e);
        }
    }

    public IReadOnlyList<ModelPrediction> Predict(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count == 0)
        {
            return [];
        }

        var images = texts.Select(t => Prepare(t, _model.ResizeSize)).Select(i => (i.Pixels, i.Height, i.Width)).ToList();
        IReadOnlyList<IReadOnlyDictionary<string, float[]>> probabilities;
        lock (_lock)
        {
            probabilities = _model.Predict(images);
        }

        return [.. probabilities.Select(row => new ModelPrediction([.. Heads.Select(head =>
        {
            var scores = row[head.Name];
            var best = Array.IndexOf(scores, scores.Max());
            return new HeadPrediction(head.Name, head.Labels[best], scores);
        })]))];
    }

    public void Dispose() => _model.Dispose();
}
