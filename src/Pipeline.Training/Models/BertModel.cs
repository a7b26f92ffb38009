using static TorchSharp.torch;

namespace Pipeline.Training.Models;

/// <summary>
/// A BERT-family encoder with Hugging Face parameter names (<c>embeddings.*</c>, <c>encoder.layer.N.*</c>);
/// <see cref="forward"/> returns the last hidden state [batch, seq, hidden].
/// </summary>
public sealed class BertModel : nn.Module<Tensor, Tensor, Tensor?, Tensor>
{
    private readonly BertEmbeddings _embeddings;
    private readonly BertEncoder _encoder;

    public BertModel(BertConfig config)
        : base(nameof(BertModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config.Validate();
        _embeddings = new BertEmbeddings(config);
        _encoder = new BertEncoder(config);
        register_module("embeddings", _embeddings);
        register_module("encoder", _encoder);
    }

    /// <summary>The config this encoder was built from.</summary>
    public BertConfig Config { get; }

    /// <summary>
    /// <paramref name="inputIds"/> and <paramref name="attentionMask"/> are [batch, seq] (int64; mask 1 for tokens, 0 for padding);
    /// <paramref name="tokenTypeIds"/> defaults to zeros.
    /// </summary>
    public override Tensor forward(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds)
    {
        using var scope = NewDisposeScope();
        var hidden = _embeddings.forward(inputIds, tokenTypeIds);
        var additive = AdditiveMask(attentionMask, hidden.dtype);
        return _encoder.forward(hidden, additive).MoveToOuterDisposeScope();
    }

    /// <summary>[batch, seq] 1/0 mask → [batch, 1, 1, seq] with 0 for tokens and the dtype's minimum for padding.</summary>
    internal static Tensor AdditiveMask(Tensor attentionMask, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var keep = attentionMask.to_type(dtype).unsqueeze(1).unsqueeze(2);
        var min = dtype == ScalarType.Float64 ? double.MinValue : dtype == ScalarType.Float32 ? float.MinValue : -1e4;
        return ((1.0 - keep) * min).MoveToOuterDisposeScope();
    }

    protected override void RegisterComponents()
    {
        // Components are registered by name in the constructor, with Hugging Face names.
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _embeddings.Dispose();
            _encoder.Dispose();
        }

        base.Dispose(disposing);
    }
}
