using System.Text.Json.Serialization;
using System.Text.Json;
using Pipeline.IO;
using Pipeline.Training.Loading;
using Pipeline.Training.Lora;
using Pipeline.Training.Models;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Pipeline.Training.Heads;

/// <summary>
/// A trained classifier on disk: the encoder as a Hugging Face folder (config.json,
/// model.safetensors, tokenizer) plus <c>heads.safetensors</c> and <c>tasks.json</c> (tasks, label
/// maps, thresholds, pooling). Used for export and for warm starts from the current champion.
/// </summary>
public static class ClassifierFolder
{
    public const string HeadsFile = "heads.safetensors";
    public const string TasksFile = "tasks.json";

    /// <summary>The subfolder holding a LoRA adapter (PEFT layout) beside the heads.</summary>
    public const string AdapterFolder = "adapter";
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

    /// <summary>Writes the encoder (LoRA must be merged first), the heads and tasks.json, each file atomically.</summary>
    public static void Save(TextClassifier model, string folder, string? tokenizerFile = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        HuggingFaceFolder.Save(model.Encoder, folder, tokenizerFile);
        SaveHeads(model, folder);
    }

    /// <summary>Writes only <c>heads.safetensors</c> and <c>tasks.json</c> (e.g. beside a LoRA adapter).</summary>
    public static void SaveHeads(TextClassifier model, string folder)
    {
        ArgumentNullException.ThrowIfNull(model);
        Directory.CreateDirectory(folder);
        using (var scope = NewDisposeScope())
        {
            var heads = model.state_dict()
                .Where(kv => kv.Key.StartsWith("heads.", StringComparison.Ordinal))
                .ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu().contiguous(), StringComparer.Ordinal);
            AtomicFile.WriteVia(Path.Combine(folder, HeadsFile), tmp => Safetensors.SaveStateDict(tmp, heads));
        }

        var manifest = new TasksManifest(model.Pooling, model.Tasks.Select(TaskEntry.From).ToList());
        AtomicFile.WriteAllText(Path.Combine(folder, TasksFile), JsonSerializer.Serialize(manifest, JsonOptions));
    }

    /// <summary>
    /// Loads a classifier saved by <see cref="Save"/>, or one logged without encoder weights: a
    /// <c>base_model.json</c> (<see cref="BaseModelReference"/>) plus, for LoRA, the adapter in
    /// <c>adapter/</c>. That base is resolved on this machine (its sha256 checked), the adapter
    /// applied and merged, and the heads loaded on top.
    /// </summary>
    /// <param name="folder">The classifier folder.</param>
    /// <param name="device">Where the model goes; the CPU when null.</param>
    /// <param name="baseSearchRoots">Where else a folder base's relative name is looked for (e.g. the repository root).</param>
    /// <exception cref="ModelLoadException">A file is missing or does not fit, or the referenced base cannot be resolved.</exception>
    public static TextClassifier Load(string folder, Device? device = null, IEnumerable<string>? baseSearchRoots = null)
    {
        var encoder = LoadEncoder(folder, baseSearchRoots ?? []);
        try
        {
            return LoadHeads(encoder, folder, device);
        }
        catch
        {
            encoder.Dispose();
            throw;
        }
    }

    /// <summary>Whether <paramref name="folder"/> holds no encoder weights of its own but a reference to its base (and maybe an adapter).</summary>
    public static bool ReferencesBase(string folder) =>
        !File.Exists(Path.Combine(folder, HuggingFaceFolder.WeightsFile)) && File.Exists(Path.Combine(folder, BaseModelReference.FileName));

    /// <summary>The folder's own encoder, or its referenced base with its adapter (if any) merged in.</summary>
    private static BertModel LoadEncoder(string folder, IEnumerable<string> baseSearchRoots)
    {
        if (!ReferencesBase(folder))
        {
            return HuggingFaceFolder.Load(folder);
        }

        var reference = BaseModelReference.TryRead(folder)!;
        var encoder = HuggingFaceFolder.Load(reference.Resolve(baseSearchRoots));
        try
        {
            var adapter = Path.Combine(folder, AdapterFolder);
            if (Directory.Exists(adapter))
            {
                LoraAdapters.Load(encoder, adapter);
                LoraAdapters.MergeAndUnload(encoder);
            }

            return encoder;
        }
        catch
        {
            encoder.Dispose();
            throw;
        }
    }

    /// <summary>Builds a classifier on <paramref name="encoder"/> (owned from now on) with the heads and tasks saved in <paramref name="folder"/>.</summary>
    public static TextClassifier LoadHeads(BertModel encoder, string folder, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        var tasksPath = Path.Combine(folder, TasksFile);
        var headsPath = Path.Combine(folder, HeadsFile);
        if (!File.Exists(tasksPath) || !File.Exists(headsPath))
        {
            throw new ModelLoadException($"Classifier folder '{folder}' needs {TasksFile} and {HeadsFile}; it was not written by ClassifierFolder.Save.");
        }

        var manifest = JsonSerializer.Deserialize<TasksManifest>(File.ReadAllText(tasksPath), JsonOptions)
            ?? throw new ModelLoadException($"'{tasksPath}' is empty.");
        var model = new TextClassifier(encoder, manifest.Tasks.Select(t => t.ToSpec()).ToList(), manifest.Pooling);
        var tensors = Safetensors.LoadStateDict(headsPath);
        try
        {
            var heads = model.state_dict().Where(kv => kv.Key.StartsWith("heads.", StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            using var subset = new StateSubset(heads);
            StateDictLoader.Load(subset, tensors, headsPath);
        }
        finally
        {
            foreach (var tensor in tensors.Values)
            {
                tensor.Dispose();
            }
        }

        if (device is not null)
        {
            TorchSharp.ModuleExtensionMethods.to(model, device);
        }

        return model;
    }

    private sealed record TasksManifest(PoolingMode Pooling, IReadOnlyList<TaskEntry> Tasks);

    private sealed record TaskEntry(string Name, TaskKind Kind, int NumLabels, double LossWeight, IReadOnlyList<float>? Thresholds, IReadOnlyList<string>? LabelNames)
    {
        public static TaskEntry From(TaskHeadSpec spec) => new(spec.Name, spec.Kind, spec.NumLabels, spec.LossWeight, spec.Thresholds, spec.LabelNames);

        public TaskHeadSpec ToSpec() => new(Name, Kind, NumLabels) { LossWeight = LossWeight, Thresholds = Thresholds, LabelNames = LabelNames };
    }
}
