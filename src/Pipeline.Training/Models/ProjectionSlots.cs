using static TorchSharp.torch;

namespace Pipeline.Training.Models;

/// <summary>Named, replaceable projections of one module; registration goes through the owner.</summary>
internal sealed class ProjectionSlots
{
    private readonly Dictionary<string, nn.Module<Tensor, Tensor>> _slots = new(StringComparer.Ordinal);
    private readonly Action<string, nn.Module?> _register;

    public ProjectionSlots(Action<string, nn.Module?> register)
    {
        _register = register;
    }

    public IReadOnlyDictionary<string, nn.Module<Tensor, Tensor>> All => _slots;

    public nn.Module<Tensor, Tensor> this[string name] => _slots[name];

    public void Add(string name, nn.Module<Tensor, Tensor> module)
    {
        _slots.Add(name, module);
        _register(name, module);
    }

    public nn.Module<Tensor, Tensor> Replace(string name, nn.Module<Tensor, Tensor> replacement)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        if (!_slots.TryGetValue(name, out var old))
        {
            throw new ArgumentException($"No projection named '{name}' (have: {string.Join(", ", _slots.Keys)}).", nameof(name));
        }

        _register(name, null);
        _register(name, replacement);
        _slots[name] = replacement;
        return old;
    }

    public void DisposeAll()
    {
        foreach (var module in _slots.Values)
        {
            module.Dispose();
        }
    }
}
