namespace Pipeline.Serving.Export;

/// <summary>How <see cref="OnnxExporter"/> exports and checks a classifier. Immutable.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>
    /// The packaged base whose ONNX graph carries the weights (<c>minilm</c>, <c>arctic-xs</c>), or
    /// <see cref="OnnxExporter.BuiltGraph"/> for a BERT graph built from the encoder's config; null (default)
    /// takes the first packaged graph whose weights have the classifier encoder's names and shapes, else builds one.
    /// </summary>
    public string? BaseGraph { get; init; }

    /// <summary>Largest |ONNX Runtime − TorchSharp| logit difference accepted on the sample texts. Default 1e-4; range (0, 1].</summary>
    public double Tolerance { get; init; } = 1e-4;

    /// <summary>Tokens per input for the parity check, [CLS] and [SEP] included. Default 128; range [8, 512].</summary>
    public int MaxSequenceLength { get; init; } = 128;

    /// <summary>Lowercase inputs (uncased vocabularies such as MiniLM's). Default true.</summary>
    public bool Lowercase { get; init; } = true;

    /// <summary>Throws <see cref="ServingException"/> naming the first value out of range.</summary>
    public void Validate()
    {
        if (!(Tolerance > 0 && Tolerance <= 1))
        {
            throw new ServingException($"OnnxExportOptions.Tolerance must be in (0, 1], got {Tolerance}.");
        }

        if (MaxSequenceLength is < 8 or > 512)
        {
            throw new ServingException($"OnnxExportOptions.MaxSequenceLength must be in [8, 512], got {MaxSequenceLength}.");
        }
    }
}

/// <summary>What <see cref="OnnxExporter.Export"/> did.</summary>
/// <param name="Exported">True when <c>model.onnx</c>, <c>labels.json</c> and <c>vocab.txt</c> were written and passed the parity check.</param>
/// <param name="BaseGraph">The packaged graph used (e.g. <c>minilm</c>), <see cref="OnnxExporter.BuiltGraph"/>, or null when skipped.</param>
/// <param name="MaxAbsDifference">Largest |ONNX Runtime − TorchSharp| logit on the sample; NaN when skipped.</param>
/// <param name="Reason">Why the export was skipped (the model then serves on TorchSharp); null when exported.</param>
public sealed record OnnxExportResult(bool Exported, string? BaseGraph, double MaxAbsDifference, string? Reason);

/// <summary>The export was attempted and failed (e.g. ONNX Runtime and TorchSharp disagree); nothing was written.</summary>
public sealed class OnnxExportException : ServingException
{
    public OnnxExportException()
    {
    }

    public OnnxExportException(string message)
        : base(message)
    {
    }

    public OnnxExportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
