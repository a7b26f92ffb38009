using static TorchSharp.torch;

namespace Pipeline.Training.Lora;

/// <summary>A module whose state is exactly the given tensors, so the checked loader can fill an adapter subset.</summary>
internal sealed class AdapterHolder : nn.Module
{
    private readonly Dictionary<string, Tensor> _tensors;

    public AdapterHolder(Dictionary<string, Tensor> tensors)
        : base(nameof(AdapterHolder))
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
