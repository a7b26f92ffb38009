using System.Globalization;
using System.Text.Json.Serialization;
using System.Text.Json;
using Pipeline.IO;
using Pipeline.Training.Loading;
using Pipeline.Training.Models;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Pipeline.Training.Training;

/// <summary>
/// Checkpoints under <c>&lt;dir&gt;/checkpoint-NNNNNNNN/</c> (model.safetensors, optimizer.bin,
/// trainer_state.json), each built in a temp folder and renamed into place; the best weights
/// under <c>&lt;dir&gt;/best/</c>. Old checkpoints are pruned to the last K.
/// </summary>
internal sealed class CheckpointStore
{
    private const string Prefix = "checkpoint-";
    private const string ModelFile = "model.safetensors";
    private const string OptimizerFile = "optimizer.bin";
    private const string StateFile = "trainer_state.json";
    private static readonly JsonSerializerOptions JsonOptions = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private readonly string _root;
    private readonly int _keepLast;

    public CheckpointStore(string root, int keepLast)
    {
        _root = root;
        _keepLast = keepLast;
        Directory.CreateDirectory(root);
    }

    public string BestFolder => Path.Combine(_root, "best");

    public void Save(nn.Module model, OptimizerHelper optimizer, TrainerState state)
    {
        var final = Path.Combine(_root, Prefix + state.Step.ToString("D8", CultureInfo.InvariantCulture) + "-" + state.Epoch.ToString(CultureInfo.InvariantCulture) + "-" + state.NextBatch.ToString(CultureInfo.InvariantCulture));
        var staging = $"{final}.{Guid.NewGuid():N}.tmp";
        Directory.CreateDirectory(staging);
        try
        {
            SaveWeights(model, Path.Combine(staging, ModelFile));
            optimizer.save_state_dict(Path.Combine(staging, OptimizerFile));
            File.WriteAllText(Path.Combine(staging, StateFile), JsonSerializer.Serialize(state, JsonOptions));
            if (Directory.Exists(final))
            {
                Directory.Delete(final, recursive: true);
            }

            Directory.Move(staging, final);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }

        Prune();
    }

    /// <summary>Loads the newest complete checkpoint into <paramref name="model"/> and <paramref name="optimizer"/>; null when there is none.</summary>
    public TrainerState? LoadLatest(nn.Module model, OptimizerHelper optimizer)
    {
        var latest = Complete().LastOrDefault();
        if (latest is null)
        {
            return null;
        }

        var state = JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(Path.Combine(latest, StateFile)), JsonOptions)!;
        var fingerprint = FrozenFingerprint(model);
        if (!string.Equals(state.FrozenFingerprint, fingerprint, StringComparison.Ordinal))
        {
            throw new ModelLoadException(
                $"Cannot resume from '{latest}': its frozen weights ({state.FrozenFingerprint}) differ from this model's ({fingerprint}). " +
                "Resume with the same base model and technique, or delete the checkpoint folder to start over.");
        }

        LoadWeights(model, Path.Combine(latest, ModelFile));
        optimizer.load_state_dict(Path.Combine(latest, OptimizerFile));
        return state;
    }

    public void SaveBest(nn.Module model)
    {
        Directory.CreateDirectory(BestFolder);
        SaveWeights(model, Path.Combine(BestFolder, ModelFile));
    }

    public bool LoadBest(nn.Module model)
    {
        var path = Path.Combine(BestFolder, ModelFile);
        if (!File.Exists(path))
        {
            return false;
        }

        LoadWeights(model, path);
        return true;
    }

    /// <summary>
    /// A fingerprint of the frozen parameters (their count and sum): a checkpoint of a LoRA or
    /// head-only run holds only trainable weights, so resume checks that the frozen base is the same.
    /// </summary>
    public static string FrozenFingerprint(nn.Module model)
    {
        using var scope = NewDisposeScope();
        var frozen = model.named_parameters().Where(p => !p.parameter.requires_grad).ToList();
        var sum = frozen.Sum(p => p.parameter.detach().to_type(ScalarType.Float64).sum().item<double>());
        return string.Create(CultureInfo.InvariantCulture, $"{frozen.Count}:{frozen.Sum(p => p.parameter.numel())}:{sum:R}");
    }

    /// <summary>
    /// The tensors a checkpoint needs: every parameter that trains (all of them for full
    /// fine-tuning) and the buffers of the modules that own one (BatchNorm's running statistics,
    /// which move while those modules train).
    /// </summary>
    private static Dictionary<string, Tensor> TrainableState(nn.Module model)
    {
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToHashSet(StringComparer.Ordinal);
        var trainingModules = trainable.Select(Owner).ToHashSet(StringComparer.Ordinal);
        var buffers = model.named_buffers().Select(b => b.name).Where(b => trainingModules.Contains(Owner(b))).ToHashSet(StringComparer.Ordinal);
        return model.state_dict()
            .Where(kv => trainable.Contains(kv.Key) || buffers.Contains(kv.Key))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

        static string Owner(string name) => name.LastIndexOf('.') is var dot and >= 0 ? name[..dot] : "";
    }

    private static void SaveWeights(nn.Module model, string path)
    {
        using var scope = NewDisposeScope();
        var state = TrainableState(model).ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu().contiguous(), StringComparer.Ordinal);
        AtomicFile.WriteVia(path, tmp => Safetensors.SaveStateDict(tmp, state));
    }

    private static void LoadWeights(nn.Module model, string path)
    {
        var tensors = Safetensors.LoadStateDict(path);
        try
        {
            using var subset = new StateSubset(TrainableState(model));
            StateDictLoader.Load(subset, tensors, path);
        }
        finally
        {
            foreach (var tensor in tensors.Values)
            {
                tensor.Dispose();
            }
        }
    }

    private List<string> Complete() => Directory.GetDirectories(_root, Prefix + "*")
        .Where(d => !d.EndsWith(".tmp", StringComparison.Ordinal) && File.Exists(Path.Combine(d, StateFile)))
        .Order(StringComparer.Ordinal)
        .ToList();

    private void Prune()
    {
        var all = Complete();
        foreach (var old in all.Take(Math.Max(0, all.Count - _keepLast)))
        {
            Directory.Delete(old, recursive: true);
        }
    }
}
