using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Training.Models;

/// <summary>Word + position + token-type embeddings, then LayerNorm and dropout (Hugging Face <c>BertEmbeddings</c>).</summary>
public sealed class BertEmbeddings : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly Embedding _wordEmbeddings;
    private readonly Embedding _positionEmbeddings;
    private readonly Embedding _tokenTypeEmbeddings;
    private readonly LayerNorm _layerNorm;
    private readonly Dropout _dropout;

    public BertEmbeddings(BertConfig config)
        : base(nameof(BertEmbeddings))
    {
        ArgumentNullException.ThrowIfNull(config);
        _wordEmbeddings = nn.Embedding(config.VocabSize, config.HiddenSize);
        _positionEmbeddings = nn.Embedding(config.MaxPositionEmbeddings, config.HiddenSize);
        _tokenTypeEmbeddings = nn.Embedding(config.TypeVocabSize, config.HiddenSize);
        _layerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        _dropout = nn.Dropout(config.HiddenDropoutProb);
        register_module("word_embeddings", _wordEmbeddings);
        register_module("position_embeddings", _positionEmbeddings);
        register_module("token_type_embeddings", _tokenTypeEmbeddings);
        register_module("LayerNorm", _layerNorm);
        register_module("dropout", _dropout);
    }

    /// <summary><paramref name="inputIds"/> is [batch, seq]; <paramref name="tokenTypeIds"/> defaults to zeros.</summary>
    public override Tensor forward(Tensor inputIds, Tensor? tokenTypeIds)
    {
        using var scope = NewDisposeScope();
        var seqLen = inputIds.shape[1];
        var positions = arange(seqLen, dtype: ScalarType.Int64, device: inputIds.device).unsqueeze(0);
        var types = tokenTypeIds ?? zeros_like(inputIds);
        var sum = _wordEmbeddings.forward(inputIds) + _tokenTypeEmbeddings.forward(types) + _positionEmbeddings.forward(positions);
        return _dropout.forward(_layerNorm.forward(sum)).MoveToOuterDisposeScope();
    }

    protected override void RegisterComponents()
    {
        // Components are registered by name in the constructor, with Hugging Face names.
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _wordEmbeddings.Dispose();
            _positionEmbeddings.Dispose();
            _tokenTypeEmbeddings.Dispose();
            _layerNorm.Dispose();
            _dropout.Dispose();
        }

        base.Dispose(disposing);
    }
}
