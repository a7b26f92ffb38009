using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Training.Heads;

/// <summary>Dropout and a linear layer (<c>classifier</c>) from a pooled sentence vector to one task's logits.</summary>
public sealed class ClassificationHead : nn.Module<Tensor, Tensor>
{
    private readonly Dropout _dropout;
    private readonly Linear _classifier;

    public ClassificationHead(long hiddenSize, int numLabels, double dropout)
        : base(nameof(ClassificationHead))
    {
        _dropout = nn.Dropout(dropout);
        _classifier = nn.Linear(hiddenSize, numLabels);
        register_module("dropout", _dropout);
        register_module("classifier", _classifier);
    }

    /// <summary>[batch, hidden] → [batch, labels].</summary>
    public override Tensor forward(Tensor pooled)
    {
        using var scope = NewDisposeScope();
        return _classifier.forward(_dropout.forward(pooled)).MoveToOuterDisposeScope();
    }

    protected override void RegisterComponents()
    {
        // Components are registered by name in the constructor.
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _dropout.Dispose();
            _classifier.Dispose();
        }

        base.Dispose(disposing);
    }
}
