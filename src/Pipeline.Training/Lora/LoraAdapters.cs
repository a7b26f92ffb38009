using System.Text.Json.Serialization;
using System.Text.Json;
using Pipeline.IO;
using Pipeline.Training.Loading;
using Pipeline.Training.Models;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Pipeline.Training.Lora;

/// <summary>
/// Adds LoRA adapters to an encoder, saves and loads them alone in PEFT's layout
/// (<c>adapter_model.safetensors</c> with <c>base_model.model.*.lora_A.weight</c> keys and
/// <c>adapter_config.json</c>), and merges them into the base weights for export.
/// </summary>
public static class LoraAdapters
{
    public const string AdapterWeightsFile = "adapter_model.safetensors";
    public const string AdapterConfigFile = "adapter_config.json";
    private const string PeftPrefix = "base_model.model.";
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>
    /// Freezes every parameter of <paramref name="encoder"/> and wraps each projection whose name
    /// is in <see cref="LoraOptions.TargetModules"/> with a trainable <see cref="LoraLinear"/>.
    /// Heads outside the encoder stay trainable. Returns the number of wrapped layers.
    /// </summary>
    /// <exception cref="ArgumentException">No projection matched, or the encoder already has adapters.</exception>
    public static int Apply(BertModel encoder, LoraOptions options)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(options);
        if (Wrapped(encoder).Any())
        {
            throw new ArgumentException("The encoder already carries LoRA adapters; merge or load instead of applying twice.", nameof(encoder));
        }

        foreach (var parameter in encoder.parameters())
        {
            parameter.requires_grad = false;
        }

        var count = 0;
        foreach (var (_, host) in Hosts(encoder))
        {
            foreach (var name in host.Projections.Keys.ToList())
            {
                if (options.TargetModules.Contains(name, StringComparer.Ordinal) && host.Projections[name] is Linear linear)
                {
                    host.ReplaceProjection(name, new LoraLinear(linear, options));
                    count++;
                }
            }
        }

        if (count == 0)
        {
            throw new ArgumentException($"No projection matches the LoRA target modules [{string.Join(", ", options.TargetModules)}]; use query, key, value or dense.", nameof(options));
        }

        return count;
    }

    /// <summary>The adapter tensors under PEFT names (views of the live parameters).</summary>
    public static Dictionary<string, Tensor> AdapterState(BertModel encoder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        return encoder.state_dict()
            .Where(kv => kv.Key.Contains(".lora_", StringComparison.Ordinal))
            .ToDictionary(kv => PeftPrefix + kv.Key, kv => kv.Value, StringComparer.Ordinal);
    }

    /// <summary>Writes the adapter alone (weights + config) into <paramref name="folder"/>, each file atomically.</summary>
    public static void Save(BertModel encoder, LoraOptions options, string folder)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(folder);
        using (var scope = NewDisposeScope())
        {
            var state = AdapterState(encoder).ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu().contiguous(), StringComparer.Ordinal);
            if (state.Count == 0)
            {
                throw new InvalidOperationException("The encoder has no LoRA adapters to save; call LoraAdapters.Apply first.");
            }

            AtomicFile.WriteVia(Path.Combine(folder, AdapterWeightsFile), tmp => Safetensors.SaveStateDict(tmp, state));
        }

        var config = new PeftConfig(options.Rank, options.Alpha, options.Dropout, options.TargetModules);
        AtomicFile.WriteAllText(Path.Combine(folder, AdapterConfigFile), JsonSerializer.Serialize(config, JsonOptions));
    }

    /// <summary>
    /// Reads <c>adapter_config.json</c>, applies adapters with those settings to <paramref name="encoder"/>
    /// (unless it already has them), and loads <c>adapter_model.safetensors</c> with a full name/shape check.
    /// </summary>
    /// <exception cref="ModelLoadException">Files missing or the adapter does not fit the encoder.</exception>
    public static LoraOptions Load(BertModel encoder, string folder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        var configPath = Path.Combine(folder, AdapterConfigFile);
        var weightsPath = Path.Combine(folder, AdapterWeightsFile);
        if (!File.Exists(configPath) || !File.Exists(weightsPath))
        {
            throw new ModelLoadException($"Adapter folder '{folder}' needs {AdapterConfigFile} and {AdapterWeightsFile}.");
        }

        var config = JsonSerializer.Deserialize<PeftConfig>(File.ReadAllText(configPath))
            ?? throw new ModelLoadException($"Adapter config '{configPath}' is empty.");
        var options = new LoraOptions { Rank = config.R, Alpha = config.LoraAlpha, Dropout = config.LoraDropout, TargetModules = config.TargetModules };
        if (!Wrapped(encoder).Any())
        {
            Apply(encoder, options);
        }

        var loaded = Safetensors.LoadStateDict(weightsPath);
        try
        {
            var target = AdapterState(encoder);
            using var holder = new StateSubset(target);
            StateDictLoader.Load(holder, loaded, weightsPath);
        }
        finally
        {
            foreach (var tensor in loaded.Values)
            {
                tensor.Dispose();
            }
        }

        return options;
    }

    /// <summary>
    /// Folds every adapter into its base weight (W + scaling · B·A) and puts plain linear layers
    /// back, so the encoder saves as an ordinary Hugging Face model. Returns the number merged.
    /// </summary>
    public static int MergeAndUnload(BertModel encoder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        var count = 0;
        foreach (var (_, host) in Hosts(encoder))
        {
            foreach (var (name, projection) in host.Projections.ToList())
            {
                if (projection is LoraLinear lora)
                {
                    host.ReplaceProjection(name, lora.Merge());
                    lora.Dispose();
                    count++;
                }
            }
        }

        return count;
    }

    private static List<(string Name, IProjectionHost Host)> Hosts(BertModel encoder) =>
        encoder.named_modules().Where(m => m.module is IProjectionHost).Select(m => (m.name, (IProjectionHost)m.module)).ToList();

    private static IEnumerable<LoraLinear> Wrapped(BertModel encoder) =>
        Hosts(encoder).SelectMany(h => h.Host.Projections.Values).OfType<LoraLinear>();

    private sealed record PeftConfig(
        [property: JsonPropertyName("r")] int R,
        [property: JsonPropertyName("lora_alpha")] double LoraAlpha,
        [property: JsonPropertyName("lora_dropout")] double LoraDropout,
        [property: JsonPropertyName("target_modules")] IReadOnlyList<string> TargetModules)
    {
        [JsonPropertyName("peft_type")]
        public string PeftType { get; init; } = "LORA";

        [JsonPropertyName("bias")]
        public string Bias { get; init; } = "none";

        [JsonPropertyName("task_type")]
        public string TaskType { get; init; } = "FEATURE_EXTRACTION";
    }
}
