using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Training.Models;

/// <summary>The stack of transformer layers, registered as <c>layer.0</c> ... <c>layer.N-1</c>.</summary>
public sealed class BertEncoder : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly ModuleList<BertLayer> _layers;

    public BertEncoder(BertConfig config)
        : base(nameof(BertEncoder))
    {
        ArgumentNullException.ThrowIfNull(config);
        _layers = nn.ModuleList(Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new BertLayer(config)).ToArray());
        register_module("layer", _layers);
    }

    public override Tensor forward(Tensor hidden, Tensor additiveMask)
    {
        using var scope = NewDisposeScope();
        var x = hidden;
        foreach (var layer in _layers)
        {
            x = layer.forward(x, additiveMask);
        }

        return x.MoveToOuterDisposeScope();
    }

    protected override void RegisterComponents()
    {
        // Components are registered by name in the constructor, with Hugging Face names.
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _layers.Dispose();
        }

        base.Dispose(disposing);
    }
}
