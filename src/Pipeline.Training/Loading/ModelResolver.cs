using Pipeline.Training.Models;

namespace Pipeline.Training.Loading;

/// <summary>Turns <c>model.base</c> from <c>pipeline.yaml</c> into a Hugging Face model folder.</summary>
public static class ModelResolver
{
    /// <summary>
    /// <paramref name="modelBase"/> is a folder path (returned as a full path) or a packaged
    /// model's short name (<c>minilm</c>, <c>arctic-xs</c>, <c>resnet-cntk</c>), imported into the cache on first use.
    /// </summary>
    /// <exception cref="ModelLoadException">Neither an existing folder nor a known short name.</exception>
    public static string Resolve(string modelBase, string? cacheRoot = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelBase);
        if (Directory.Exists(modelBase))
        {
            var folder = Path.GetFullPath(modelBase);
            if (!File.Exists(Path.Combine(folder, HuggingFaceFolder.ConfigFile)))
            {
                throw new ModelLoadException($"model.base '{modelBase}' is a folder without {HuggingFaceFolder.ConfigFile}; point it at a Hugging Face model folder (text) or a ResNet folder with config.json and model.safetensors (images).");
            }

            return folder;
        }

        if (PackagedModels.IsShortName(modelBase))
        {
            return PackagedModels.EnsureImported(modelBase, cacheRoot);
        }

        throw new ModelLoadException(
            $"model.base '{modelBase}' is neither an existing folder nor a packaged model. Use a Hugging Face folder (config.json, model.safetensors, vocab.txt), a ResNet folder (config.json with \"layers\", torchvision-named model.safetensors) or one of: {string.Join(", ", PackagedModels.ShortNames)}.");
    }
}
