using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Training.Models;

/// <summary>
/// <c>dense</c> projection, dropout, residual add and <c>LayerNorm</c>: Hugging Face's
/// <c>BertSelfOutput</c> (hidden → hidden) and <c>BertOutput</c> (intermediate → hidden).
/// </summary>
public sealed class BertResidualOutput : nn.Module<Tensor, Tensor, Tensor>, IProjectionHost
{
    private readonly ProjectionSlots _projections;
    private readonly LayerNorm _layerNorm;
    private readonly Dropout _dropout;

    public BertResidualOutput(long inFeatures, BertConfig config)
        : base(nameof(BertResidualOutput))
    {
        ArgumentNullException.ThrowIfNull(config);
        _projections = new ProjectionSlots((name, module) => register_module(name, module!));
        _projections.Add("dense", nn.Linear(inFeatures, config.HiddenSize));
        _layerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        _dropout = nn.Dropout(config.HiddenDropoutProb);
        register_module("LayerNorm", _layerNorm);
        register_module("dropout", _dropout);
    }

    public IReadOnlyDictionary<string, nn.Module<Tensor, Tensor>> Projections => _projections.All;

    public nn.Module<Tensor, Tensor> ReplaceProjection(string name, nn.Module<Tensor, Tensor> replacement) =>
        _projections.Replace(name, replacement);

    /// <summary>LayerNorm(dropout(dense(<paramref name="hidden"/>)) + <paramref name="residual"/>).</summary>
    public override Tensor forward(Tensor hidden, Tensor residual)
    {
        using var scope = NewDisposeScope();
        var projected = _dropout.forward(_projections["dense"].forward(hidden));
        return _layerNorm.forward(projected + residual).MoveToOuterDisposeScope();
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
            _layerNorm.Dispose();
            _dropout.Dispose();
        }

        base.Dispose(disposing);
    }
}
