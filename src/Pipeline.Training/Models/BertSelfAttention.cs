using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Training.Models;

/// <summary>Multi-head self-attention with <c>query</c>, <c>key</c>, <c>value</c> projections (Hugging Face <c>BertSelfAttention</c>).</summary>
public sealed class BertSelfAttention : nn.Module<Tensor, Tensor, Tensor>, IProjectionHost
{
    private readonly ProjectionSlots _projections;
    private readonly Dropout _dropout;
    private readonly int _heads;
    private readonly int _headSize;

    public BertSelfAttention(BertConfig config)
        : base(nameof(BertSelfAttention))
    {
        ArgumentNullException.ThrowIfNull(config);
        _heads = config.NumAttentionHeads;
        _headSize = config.HeadSize;
        _projections = new ProjectionSlots((name, module) => register_module(name, module!));
        _projections.Add("query", nn.Linear(config.HiddenSize, config.HiddenSize));
        _projections.Add("key", nn.Linear(config.HiddenSize, config.HiddenSize));
        _projections.Add("value", nn.Linear(config.HiddenSize, config.HiddenSize));
        _dropout = nn.Dropout(config.AttentionProbsDropoutProb);
        register_module("dropout", _dropout);
    }

    public IReadOnlyDictionary<string, nn.Module<Tensor, Tensor>> Projections => _projections.All;

    public nn.Module<Tensor, Tensor> ReplaceProjection(string name, nn.Module<Tensor, Tensor> replacement) =>
        _projections.Replace(name, replacement);

    /// <summary><paramref name="hidden"/> is [batch, seq, hidden]; <paramref name="additiveMask"/> is [batch, 1, 1, seq] (0 or a large negative).</summary>
    public override Tensor forward(Tensor hidden, Tensor additiveMask)
    {
        using var scope = NewDisposeScope();
        var batch = hidden.shape[0];
        var seq = hidden.shape[1];
        var q = Heads(_projections["query"].forward(hidden));
        var k = Heads(_projections["key"].forward(hidden));
        var v = Heads(_projections["value"].forward(hidden));
        var scores = q.matmul(k.transpose(-1, -2)) / Math.Sqrt(_headSize) + additiveMask;
        var probs = _dropout.forward(nn.functional.softmax(scores, -1));
        var context = probs.matmul(v).transpose(1, 2).reshape(batch, seq, _heads * _headSize);
        return context.MoveToOuterDisposeScope();

        Tensor Heads(Tensor x) => x.view(batch, seq, _heads, _headSize).transpose(1, 2);
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
            _dropout.Dispose();
        }

        base.Dispose(disposing);
    }
}
