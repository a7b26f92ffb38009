namespace Pipeline.Serving.Onnx;

/// <summary>How ONNX models are run. Immutable; the defaults suit a CPU pod.</summary>
public sealed record OnnxModelOptions
{
    /// <summary>Tokens per input, [CLS] and [SEP] included, when <c>model.json</c> does not say. Default 128; range [8, 512].</summary>
    public int MaxSequenceLength { get; init; } = 128;

    /// <summary>Lowercase inputs (uncased vocabularies such as MiniLM's) when <c>model.json</c> does not say. Default true.</summary>
    public bool Lowercase { get; init; } = true;

    /// <summary>ONNX Runtime intra-op threads; 0 lets ONNX Runtime choose (one per core). Default 0; range [0, 256].</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>
    /// Let ONNX Runtime's intra-op threads spin-wait between operators. Default false: on a shared or
    /// CPU-limited machine the spinning steals the cores Kestrel and the batcher need (measured on 2
    /// shared cores: bare single-text p50 4.8 ms without, 9 to 12 ms with; 275 vs 111 requests/s at 16
    /// clients with batching). Turn on for a dedicated machine with cores to spare.
    /// </summary>
    public bool AllowSpinning { get; init; }

    /// <summary>Throws <see cref="ServingException"/> naming the first value out of range.</summary>
    public void Validate()
    {
        if (MaxSequenceLength is < 8 or > 512)
        {
            throw new ServingException($"OnnxModelOptions.MaxSequenceLength must be in [8, 512], got {MaxSequenceLength}.");
        }

        if (IntraOpThreads is < 0 or > 256)
        {
            throw new ServingException($"OnnxModelOptions.IntraOpThreads must be in [0, 256], got {IntraOpThreads}.");
        }
    }
}
