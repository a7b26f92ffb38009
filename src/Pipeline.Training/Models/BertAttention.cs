using static TorchSharp.torch;

namespace Pipeline.Training.Models;

/// <summary>Self-attention followed by its output block (Hugging Face <c>BertAttention</c>: <c>self</c>, <c>output</c>).</summary>
public sealed class BertAttention : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly BertSelfAttention _self;
    private readonly BertResidualOutput _output;

    public BertAttention(BertConfig config)
        : base(nameof(BertAttention))
    {
        ArgumentNullException.ThrowIfNull(config);
        _self = new BertSelfAttention(config);
        _output = new BertResidualOutput(config.HiddenSize, config);
        register_module("self", _self);
        register_module("output", _output);
    }

    public override Tensor forward(Tensor hidden, Tensor additiveMask)
    {
        using var scope = NewDisposeScope();
        return _output.forward(_self.forward(hidden, additiveMask), hidden).MoveToOuterDisposeScope();
    }

    protected override void RegisterComponents()
    {
        // Components are registered by name in the constructor, with Hugging Face names.
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _self.Dispose();
            _output.Dispose();
        }

        base.Dispose(disposing);
    }
}
