using System.Text.Json;
using Pipeline.IO;
using Pipeline.Training.Loading;
using Pipeline.Training.Models;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Pipeline.Training.Vision;

/// <summary>
/// A ResNet backbone folder: <c>config.json</c> (<see cref="ResNetConfig"/>), torchvision-named
/// <c>model.safetensors</c> and, when the preprocessing names one, a mean image file.
/// </summary>
public static class ResNetFolder
{
    /// <summary>The weights file in a model folder.</summary>
    public const string WeightsFile = "model.safetensors";

    private const string Advice = "Check that config.json's \"layers\" and \"base_width\" match the weights and that the file holds torchvision ResNet (BasicBlock) names such as layer1.0.conv1.weight.";

    /// <summary>
    /// Whether <paramref name="folder"/> holds an image (ResNet) model rather than a text one: its
    /// config.json says <c>"architecture": "resnet"</c> or lists <c>"layers"</c>.
    /// </summary>
    public static bool IsResNetFolder(string folder)
    {
        var path = Path.Combine(folder, ResNetConfig.FileName);
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            var root = json.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && ((root.TryGetProperty("architecture", out var architecture) && string.Equals(architecture.GetString(), "resnet", StringComparison.OrdinalIgnoreCase))
                    || root.TryGetProperty("layers", out _));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// Loads the backbone of <paramref name="folder"/>: a torchvision checkpoint (its <c>fc.*</c>
    /// is skipped: the classifier brings its own head) or a classifier written by
    /// <see cref="ImageClassifier.Save"/> (its <c>backbone.*</c>, without the heads), so a
    /// fine-tuned network can be the base of another task. BatchNorm's <c>num_batches_tracked</c> may be absent.
    /// </summary>
    /// <exception cref="ModelLoadException">No folder, config or weights; or missing, unexpected or mis-shaped tensors, all listed.</exception>
    public static ResNet Load(string folder, Device? device = null)
    {
        if (!Directory.Exists(folder))
        {
            throw new ModelLoadException($"Model folder '{folder}' does not exist. Set model.base to a ResNet folder (config.json + model.safetensors) or to resnet-cntk.");
        }

        var config = ResNetConfig.Load(Path.Combine(folder, ResNetConfig.FileName));
        var weights = Path.Combine(folder, WeightsFile);
        if (!File.Exists(weights))
        {
            throw new ModelLoadException($"Model folder '{folder}' has no {WeightsFile}. Save the torchvision state_dict with safetensors.torch.save_file.");
        }

        var model = new ResNet(config);
        return StateDictLoader.LoadFile(
            model, weights, tensors => StateDictLoader.Copy(model, BackboneTensors(tensors), weights, Advice, name => name.EndsWith(".num_batches_tracked", StringComparison.Ordinal)), device);
    }

    /// <summary>The backbone's tensors of a torchvision checkpoint (without <c>fc.*</c>) or of a classifier (<c>backbone.*</c>, prefix removed).</summary>
    internal static Dictionary<string, Tensor> BackboneTensors(IReadOnlyDictionary<string, Tensor> tensors)
    {
        const string Prefix = "backbone.";
        var isClassifier = tensors.Keys.Any(k => k.StartsWith(Prefix, StringComparison.Ordinal));
        return isClassifier
            ? tensors.Where(kv => kv.Key.StartsWith(Prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[Prefix.Length..], kv => kv.Value, StringComparer.Ordinal)
            : tensors.Where(kv => !kv.Key.StartsWith("fc.", StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
    }

    /// <summary>Writes <paramref name="model"/>'s weights and config to <paramref name="folder"/> (atomically, file by file).</summary>
    public static void Save(ResNet model, string folder)
    {
        ArgumentNullException.ThrowIfNull(model);
        Directory.CreateDirectory(folder);
        SaveState(model.state_dict(), Path.Combine(folder, WeightsFile));
        model.Config.Save(Path.Combine(folder, ResNetConfig.FileName));
    }

    /// <summary>The mean image [3, H, W] named by <paramref name="config"/>, or null when it uses per-channel means.</summary>
    /// <exception cref="ModelLoadException">The file is missing or holds no <c>mean_image</c> [3, H, W].</exception>
    public static Tensor? LoadMeanImage(string folder, ResNetConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Preprocessing.MeanImageFile is not { } file)
        {
            return null;
        }

        var path = Path.Combine(folder, file);
        if (!File.Exists(path))
        {
            throw new ModelLoadException($"config.json in '{folder}' names the mean image '{file}', which is not there.");
        }

        var tensors = Safetensors.LoadStateDict(path);
        if (!tensors.TryGetValue(CntkResNetImporter.MeanImageTensor, out var mean) || mean.dim() != 3 || mean.shape[0] != 3)
        {
            foreach (var t in tensors.Values)
            {
                t.Dispose();
            }

            throw new ModelLoadException($"'{path}' must hold a tensor '{CntkResNetImporter.MeanImageTensor}' of shape [3, H, W].");
        }

        foreach (var (name, t) in tensors)
        {
            if (name != CntkResNetImporter.MeanImageTensor)
            {
                t.Dispose();
            }
        }

        return mean;
    }

    /// <summary>Writes a mean image [3, H, W] file.</summary>
    public static void SaveMeanImage(Tensor meanImage, string path) =>
        SaveState(new Dictionary<string, Tensor>(StringComparer.Ordinal) { [CntkResNetImporter.MeanImageTensor] = meanImage }, path);

    internal static void SaveState(IEnumerable<KeyValuePair<string, Tensor>> state, string path)
    {
        using var scope = NewDisposeScope();
        var cpu = state.ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu().contiguous(), StringComparer.Ordinal);
        AtomicFile.WriteVia(path, tmp => Safetensors.SaveStateDict(tmp, cpu));
    }
}
