using System.Text;
using Pipeline.Training.Models;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Pipeline.Training.Loading;

/// <summary>
/// Copies named tensors into a module after checking that every name and shape matches, so a
/// wrong checkpoint fails once with the whole list instead of loading half a model.
/// </summary>
public static class StateDictLoader
{
    private const string BertPrefix = "bert.";

    private const string BertAdvice = "Check that config.json matches the weights (hidden_size, num_hidden_layers, intermediate_size, vocab_size) and that the file is a BERT-family checkpoint.";

    /// <summary>Checkpoint keys that a BERT encoder does not use and that are skipped without complaint.</summary>
    private static readonly string[] IgnoredPrefixes = ["pooler.", "cls.", "embeddings.position_ids"];

    /// <summary>
    /// Reads the safetensors file <paramref name="weights"/>, lets <paramref name="copy"/> put its
    /// tensors into <paramref name="model"/> (e.g. with <see cref="Load"/> or <see cref="Copy"/>),
    /// frees the file's tensors, and moves the model to <paramref name="device"/> when one is given.
    /// The model is disposed when any step fails, so a caller never holds half a model.
    /// </summary>
    /// <returns><paramref name="model"/>, filled.</returns>
    public static TModule LoadFile<TModule>(TModule model, string weights, Action<IReadOnlyDictionary<string, Tensor>> copy, Device? device)
        where TModule : nn.Module
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(copy);
        try
        {
            var tensors = Safetensors.LoadStateDict(weights);
            try
            {
                copy(tensors);
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
                model.to(device);
            }

            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Copies <paramref name="tensors"/> into <paramref name="module"/>'s state. When the module is a
    /// bare encoder, keys may carry a <c>bert.</c> prefix (Hugging Face task models) and
    /// <c>pooler.*</c>, <c>cls.*</c> and <c>embeddings.position_ids</c> are ignored. Values are converted to the module's dtype.
    /// </summary>
    /// <param name="module">The module to fill.</param>
    /// <param name="tensors">Checkpoint tensors by name (not disposed here).</param>
    /// <param name="source">The file the tensors came from, for the error message.</param>
    /// <exception cref="ModelLoadException">Missing, unexpected or mis-shaped tensors, all listed.</exception>
    public static void Load(nn.Module module, IReadOnlyDictionary<string, Tensor> tensors, string source)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(tensors);
        var expected = module.state_dict();
        var isBareEncoder = !expected.Keys.Any(k => k.StartsWith(BertPrefix, StringComparison.Ordinal));
        var given = isBareEncoder ? NormalizeForEncoder(tensors) : new Dictionary<string, Tensor>(tensors, StringComparer.Ordinal);
        Copy(module, given, source, BertAdvice, optional: null);
    }

    /// <summary>
    /// Copies <paramref name="tensors"/> into <paramref name="module"/>'s state by exact name, after
    /// the same all-or-nothing check as <see cref="Load"/>. Model entries for which
    /// <paramref name="optional"/> is true may be absent from the checkpoint (they keep their value).
    /// </summary>
    /// <param name="module">The module to fill.</param>
    /// <param name="tensors">Checkpoint tensors by name (not disposed here).</param>
    /// <param name="source">The file the tensors came from, for the error message.</param>
    /// <param name="advice">The last sentence of the error: what to check.</param>
    /// <param name="optional">Model entries a checkpoint may omit; default none.</param>
    /// <exception cref="ModelLoadException">Missing, unexpected or mis-shaped tensors, all listed.</exception>
    public static void Copy(nn.Module module, IReadOnlyDictionary<string, Tensor> tensors, string source, string advice, Func<string, bool>? optional)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(tensors);
        var expected = module.state_dict();
        var given = tensors;
        var missing = expected.Keys.Where(k => !given.ContainsKey(k) && !(optional?.Invoke(k) ?? false)).Order(StringComparer.Ordinal).ToList();
        var unexpected = given.Keys.Where(k => !expected.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var misShaped = expected
            .Where(e => given.TryGetValue(e.Key, out var t) && !t.shape.SequenceEqual(e.Value.shape))
            .Select(e => $"{e.Key}: checkpoint {Shape(given[e.Key])}, model {Shape(e.Value)}")
            .Order(StringComparer.Ordinal)
            .ToList();
        if (missing.Count + unexpected.Count + misShaped.Count > 0)
        {
            throw new ModelLoadException(Describe(source, missing, unexpected, misShaped, advice));
        }

        using var noGrad = no_grad();
        foreach (var (name, target) in expected)
        {
            if (!given.TryGetValue(name, out var source1))
            {
                continue;
            }

            using var value = source1.to(target.dtype, target.device);
            target.copy_(value);
        }
    }

    private static Dictionary<string, Tensor> NormalizeForEncoder(IReadOnlyDictionary<string, Tensor> tensors)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, value) in tensors)
        {
            var name = key.StartsWith(BertPrefix, StringComparison.Ordinal) ? key[BertPrefix.Length..] : key;
            if (!IgnoredPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)))
            {
                result[name] = value;
            }
        }

        return result;
    }

    private static string Shape(Tensor t) => $"[{string.Join(", ", t.shape)}]";

    private static string Describe(string source, List<string> missing, List<string> unexpected, List<string> misShaped, string advice)
    {
        var text = new StringBuilder();
        text.Append("Cannot load '").Append(source).Append("': ")
            .Append(missing.Count).Append(" missing, ")
            .Append(unexpected.Count).Append(" unexpected and ")
            .Append(misShaped.Count).Append(" mis-shaped tensor(s).");
        Section("Missing (in the model, not in the checkpoint)", missing);
        Section("Unexpected (in the checkpoint, not in the model)", unexpected);
        Section("Mis-shaped", misShaped);
        text.Append(' ').Append(advice);
        return text.ToString();

        void Section(string title, List<string> names)
        {
            if (names.Count == 0)
            {
                return;
            }

            const int Shown = 20;
            text.Append(' ').Append(title).Append(": ").Append(string.Join(", ", names.Take(Shown)));
            if (names.Count > Shown)
            {
                text.Append(", ... and ").Append(names.Count - Shown).Append(" more");
            }

            text.Append('.');
        }
    }
}
