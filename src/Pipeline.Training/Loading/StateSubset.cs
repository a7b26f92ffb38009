using static TorchSharp.torch;

namespace Pipeline.Training.Loading;

/// <summary>A module whose state is exactly the given tensors (views of another module's), so the checked loader can fill a subset: an adapter, the heads, the trainable weights.</summary>
internal sealed class StateSubset : nn.Module
{
    private readonly Dictionary<string, Tensor> _tensors;

    public StateSubset(Dictionary<string, Tensor> tensors)
        : base(nameof(StateSubset))
    {
        _tensors = tensors;
    }

    public override Dictionary<string, Tensor> state_dict(Dictionary<string, Tensor>? destination = null, string? prefix = null)
    {
        var result = destination ?? new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in _tensors)
        {
            result[(prefix ?? "") + name] = tensor;
        }

        return result;
    }

    protected override void RegisterComponents()
    {
        // Holds views of another module's parameters; nothing to register.
    }
}
