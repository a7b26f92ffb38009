using static TorchSharp.torch;

namespace Pipeline.Training.Models;

/// <summary>The feed-forward expansion: <c>dense</c> (hidden → intermediate) and the configured activation.</summary>
public sealed class BertIntermediate : nn.Module<Tensor, Tensor>, IProjectionHost
{
    private readonly ProjectionSlots _projections;
    private readonly string _activation;

    public BertIntermediate(BertConfig config)
        : base(nameof(BertIntermediate))
    {
        ArgumentNullException.ThrowIfNull(config);
        _activation = config.HiddenAct;
        _projections = new ProjectionSlots((name, module) => register_module(name, module!));
        _projections.Add("dense", nn.Linear(config.HiddenSize, config.IntermediateSize));
    }

    public IReadOnlyDictionary<string, nn.Module<Tensor, Tensor>> Projections => _projections.All;

    public nn.Module<Tensor, Tensor> ReplaceProjection(string name, nn.Module<Tensor, Tensor> replacement) =>
        _projections.Replace(name, replacement);

    public override Tensor forward(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        return Activations.Apply(_activation, _projections["dense"].forward(hidden)).MoveToOuterDisposeScope();
    }

    protected override void RegisterComponents()
    {
        // Components are registered by name in the constructor, with Hugging Face names.
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _projections.DisposeAll();
        }

        base.Dispose(disposing);
    }
}
