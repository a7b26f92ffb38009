using static TorchSharp.torch;

namespace Pipeline.Training.Models;

/// <summary>One transformer layer: <c>attention</c>, <c>intermediate</c>, <c>output</c>.</summary>
public sealed class BertLayer : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly BertAttention _attention;
    private readonly BertIntermediate _intermediate;
    private readonly BertResidualOutput _output;

    public BertLayer(BertConfig config)
        : base(nameof(BertLayer))
    {
        ArgumentNullException.ThrowIfNull(config);
        _attention = new BertAttention(config);
        _intermediate = new BertIntermediate(config);
        _output = new BertResidualOutput(config.IntermediateSize, config);
        register_module("attention", _attention);
        register_module("intermediate", _intermediate);
        register_module("output", _output);
    }

    public override Tensor forward(Tensor hidden, Tensor additiveMask)
    {
        using var scope = NewDisposeScope();
        var attended = _attention.forward(hidden, additiveMask);
        return _output.forward(_intermediate.forward(attended), attended).MoveToOuterDisposeScope();
    }

    protected override void RegisterComponents()
    {
        // Components are registered by name in the constructor, with Hugging Face names.
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _attention.Dispose();
            _intermediate.Dispose();
            _output.Dispose();
        }

        base.Dispose(disposing);
    }
}
