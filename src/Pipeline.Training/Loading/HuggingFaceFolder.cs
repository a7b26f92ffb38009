using Pipeline.IO;
using Pipeline.Training.Models;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Pipeline.Training.Loading;

/// <summary>
/// A Hugging Face model folder: <c>config.json</c>, <c>model.safetensors</c> and a tokenizer
/// (<c>vocab.txt</c> or <c>tokenizer.json</c>).
/// </summary>
public static class HuggingFaceFolder
{
    public const string ConfigFile = "config.json";
    public const string WeightsFile = "model.safetensors";
    public const string VocabFile = "vocab.txt";
    public const string TokenizerFile = "tokenizer.json";

    /// <summary>Builds the encoder from <c>config.json</c> and loads <c>model.safetensors</c> into it, checking every name and shape.</summary>
    /// <exception cref="ModelLoadException">A file is missing or the weights do not fit the config.</exception>
    public static BertModel Load(string folder, Device? device = null)
    {
        RequireFolder(folder);
        var config = BertConfig.Load(Path.Combine(folder, ConfigFile));
        var weights = Path.Combine(folder, WeightsFile);
        if (!File.Exists(weights))
        {
            throw new ModelLoadException($"Model folder '{folder}' has no {WeightsFile}. Export the model with safetensors (save_pretrained(..., safe_serialization=True)).");
        }

        var model = new BertModel(config);
        return StateDictLoader.LoadFile(model, weights, tensors => StateDictLoader.Load(model, tensors, weights), device);
    }

    /// <summary>The tokenizer file of <paramref name="folder"/>: <c>vocab.txt</c>, else <c>tokenizer.json</c>.</summary>
    /// <exception cref="ModelLoadException">Neither exists.</exception>
    public static string TokenizerPath(string folder)
    {
        foreach (var name in new[] { VocabFile, TokenizerFile })
        {
            var path = Path.Combine(folder, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new ModelLoadException($"Model folder '{folder}' has neither {VocabFile} nor {TokenizerFile}. Copy the tokenizer files of the base model into it.");
    }

    /// <summary>
    /// Writes <paramref name="model"/> as a Hugging Face folder (each file atomically) and copies
    /// <paramref name="tokenizerFile"/> (vocab.txt or tokenizer.json) beside it when given.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model still carries LoRA adapters: merge them first.</exception>
    public static void Save(BertModel model, string folder, string? tokenizerFile = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Directory.CreateDirectory(folder);
        using (var scope = NewDisposeScope())
        {
            var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var (name, tensor) in model.state_dict())
            {
                if (name.Contains(".lora_", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"The model still carries LoRA adapters ({name}); call LoraAdapters.MergeAndUnload first or save the adapter alone.");
                }

                state[name] = tensor.detach().cpu().contiguous();
            }

            AtomicFile.WriteVia(Path.Combine(folder, WeightsFile), tmp => Safetensors.SaveStateDict(tmp, state));
        }

        model.Config.Save(Path.Combine(folder, ConfigFile));
        if (tokenizerFile is not null)
        {
            var target = Path.Combine(folder, Path.GetFileName(tokenizerFile));
            if (!string.Equals(Path.GetFullPath(tokenizerFile), Path.GetFullPath(target), StringComparison.Ordinal))
            {
                AtomicFile.WriteVia(target, tmp => File.Copy(tokenizerFile, tmp));
            }
        }
    }

    private static void RequireFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new ModelLoadException($"Model folder '{folder}' does not exist. Set model.base to a Hugging Face folder or to one of: {string.Join(", ", PackagedModels.ShortNames)}.");
        }
    }
}
