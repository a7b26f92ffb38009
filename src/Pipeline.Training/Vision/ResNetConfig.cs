using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.IO;
using Pipeline.Training.Models;

namespace Pipeline.Training.Vision;

/// <summary>
/// <c>config.json</c> of a ResNet folder: the architecture (BasicBlock stages), its input
/// normalisation and, for a trained classifier, the image sizes and the tasks with their labels.
/// </summary>
public sealed record ResNetConfig
{
    /// <summary>The file name in a model folder.</summary>
    public const string FileName = "config.json";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>Always <c>resnet</c>; tells an image folder from a text one.</summary>
    [JsonPropertyName("architecture")]
    public string Architecture { get; init; } = "resnet";

    /// <summary>BasicBlocks per stage, e.g. [2, 2, 2, 2] for ResNet18, [2, 2, 2, 3] for the CNTK ResNet18. Four stages of at least 1.</summary>
    [JsonPropertyName("layers")]
    public int[] Layers { get; init; } = [2, 2, 2, 2];

    /// <summary>Width of the pooled feature vector (512 for BasicBlock ResNets).</summary>
    [JsonPropertyName("num_features")]
    public int NumFeatures { get; init; } = 512;

    /// <summary>Channels of the stem convolution (64 for torchvision; a tiny test network may use fewer).</summary>
    [JsonPropertyName("base_width")]
    public int BaseWidth { get; init; } = 64;

    /// <summary>How 0–255 RGB pixels are normalised for this network. Default torchvision's ImageNet normalisation.</summary>
    [JsonPropertyName("preprocessing")]
    public ImagePreprocessing Preprocessing { get; init; } = ImagePreprocessing.TorchVision;

    /// <summary>Classifier only: the square input side (the crop, e.g. 224).</summary>
    [JsonPropertyName("image_size")]
    public int? ImageSize { get; init; }

    /// <summary>Classifier only: the square side images are resized to before the crop (e.g. 256).</summary>
    [JsonPropertyName("resize_size")]
    public int? ResizeSize { get; init; }

    /// <summary>Classifier only: the single-label tasks and their label names (index = class id).</summary>
    [JsonPropertyName("tasks")]
    public IReadOnlyList<ImageTaskConfig>? Tasks { get; init; }

    /// <summary>Reads and checks <paramref name="path"/>.</summary>
    /// <exception cref="ModelLoadException">Missing file, bad JSON, or out-of-range values.</exception>
    public static ResNetConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ModelLoadException($"'{path}' does not exist; a ResNet folder needs config.json with \"layers\" (e.g. [2, 2, 2, 2]).");
        }

        ResNetConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<ResNetConfig>(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new ModelLoadException($"'{path}' is not valid JSON: {ex.Message}", ex);
        }

        if (config is null || !string.Equals(config.Architecture, "resnet", StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelLoadException($"'{path}' does not describe a ResNet (\"architecture\": \"resnet\").");
        }

        config.Validate(path);
        return config;
    }

    /// <summary>Writes this config to <paramref name="path"/> atomically.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, JsonOptions));

    /// <summary>Checks the values; <paramref name="source"/> names the file for the message.</summary>
    public void Validate(string source)
    {
        if (Layers is not { Length: 4 } || Layers.Any(l => l < 1))
        {
            throw new ModelLoadException($"{source}: \"layers\" must list 4 stages of at least one block each, e.g. [2, 2, 2, 2].");
        }

        if (BaseWidth < 1 || NumFeatures != BaseWidth * 8)
        {
            throw new ModelLoadException($"{source}: \"num_features\" ({NumFeatures}) must be 8 × \"base_width\" ({BaseWidth}) for a BasicBlock ResNet.");
        }

        Preprocessing.Validate(source);
    }
}

/// <summary>One task of an image classifier in config.json.</summary>
/// <param name="Name">The task name (the head's parameter prefix).</param>
/// <param name="Labels">Label names, index = class id.</param>
public sealed record ImageTaskConfig(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("labels")] IReadOnlyList<string> Labels);
