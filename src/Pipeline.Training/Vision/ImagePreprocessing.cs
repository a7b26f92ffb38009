using System.Text.Json.Serialization;

namespace Pipeline.Training.Vision;

/// <summary>
/// The input normalisation a network was trained with (<c>config.json</c>, <c>preprocessing</c>):
/// pixels in 0–255 RGB become <c>(pixel × scale − mean) / std</c> in the network's channel order.
/// </summary>
public sealed record ImagePreprocessing
{
    /// <summary>torchvision's ImageNet normalisation: RGB, /255, mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225).</summary>
    public static ImagePreprocessing TorchVision { get; } = new()
    {
        ChannelOrder = "rgb",
        Scale = 1.0 / 255,
        Mean = [0.485f, 0.456f, 0.406f],
        Std = [0.229f, 0.224f, 0.225f],
    };

    /// <summary><c>rgb</c> (default) or <c>bgr</c>: the order of the network's input channels.</summary>
    [JsonPropertyName("channel_order")]
    public string ChannelOrder { get; init; } = "rgb";

    /// <summary>Multiplies 0–255 pixels first: 1/255 for torchvision networks, 1 for the CNTK ResNet. Default 1/255.</summary>
    [JsonPropertyName("scale")]
    public double Scale { get; init; } = 1.0 / 255;

    /// <summary>Per-channel mean (in <see cref="ChannelOrder"/>, after scaling), subtracted when there is no mean image.</summary>
    [JsonPropertyName("mean")]
    public float[] Mean { get; init; } = [0.485f, 0.456f, 0.406f];

    /// <summary>
    /// Optional file beside config.json holding a mean image (<c>mean_image</c>, [3, H, W] in
    /// <see cref="ChannelOrder"/>, after scaling), subtracted instead of <see cref="Mean"/>;
    /// resized bilinearly when the input is another size. Default none.
    /// </summary>
    [JsonPropertyName("mean_image")]
    public string? MeanImageFile { get; init; }

    /// <summary>Per-channel divisor after the mean. Default torchvision's; all ones for the CNTK ResNet.</summary>
    [JsonPropertyName("std")]
    public float[] Std { get; init; } = [0.229f, 0.224f, 0.225f];

    /// <summary>Whether the network wants BGR.</summary>
    [JsonIgnore]
    public bool IsBgr => string.Equals(ChannelOrder, "bgr", StringComparison.OrdinalIgnoreCase);

    /// <summary>Checks the values; <paramref name="source"/> names the file for the message.</summary>
    /// <exception cref="Models.ModelLoadException">A value is out of range.</exception>
    public void Validate(string source)
    {
        if (!string.Equals(ChannelOrder, "rgb", StringComparison.OrdinalIgnoreCase) && !IsBgr)
        {
            throw new Models.ModelLoadException($"{source}: preprocessing.channel_order is '{ChannelOrder}'; use rgb or bgr.");
        }

        if (!(Scale > 0) || double.IsInfinity(Scale))
        {
            throw new Models.ModelLoadException($"{source}: preprocessing.scale is {Scale}; it must be within (0, +Inf).");
        }

        if (Mean is not { Length: 3 } || Std is not { Length: 3 } || Std.Any(s => !(s > 0)))
        {
            throw new Models.ModelLoadException($"{source}: preprocessing.mean and preprocessing.std need 3 values each, std all > 0.");
        }
    }
}
