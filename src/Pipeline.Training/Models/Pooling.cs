using static TorchSharp.torch;

namespace Pipeline.Training.Models;

/// <summary>How a sentence vector is taken from the last hidden state.</summary>
public enum PoolingMode
{
    /// <summary>Mean of the token vectors, padding excluded (sentence-transformers' default).</summary>
    Mean,

    /// <summary>The vector of the first token, <c>[CLS]</c>.</summary>
    Cls,
}

/// <summary>Sentence vectors from [batch, seq, hidden] token vectors.</summary>
public static class Pooling
{
    /// <summary>Pools <paramref name="hidden"/> by <paramref name="mode"/>; the result is [batch, hidden].</summary>
    public static Tensor Pool(Tensor hidden, Tensor attentionMask, PoolingMode mode) => mode switch
    {
        PoolingMode.Mean => Mean(hidden, attentionMask),
        PoolingMode.Cls => Cls(hidden),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Use Mean or Cls."),
    };

    /// <summary>Masked mean over the sequence; padding positions (mask 0) do not count.</summary>
    public static Tensor Mean(Tensor hidden, Tensor attentionMask)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(attentionMask);
        using var scope = NewDisposeScope();
        var mask = attentionMask.to_type(hidden.dtype).unsqueeze(-1);
        var sum = (hidden * mask).sum(1);
        var count = mask.sum(1).clamp_min(1e-9);
        return (sum / count).MoveToOuterDisposeScope();
    }

    /// <summary>The first token's vector.</summary>
    public static Tensor Cls(Tensor hidden)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        return hidden.select(1, 0);
    }
}
