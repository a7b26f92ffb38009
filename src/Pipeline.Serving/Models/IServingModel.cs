namespace Pipeline.Serving.Models;

/// <summary>
/// A loaded model the service can answer with. Implementations: <see cref="Onnx.OnnxServingModel"/>
/// (ONNX Runtime) and, once the training library lands, a TorchSharp runner. The batcher calls
/// <see cref="Predict"/> from one thread at a time per model; the champion swap may call it from
/// another thread on a new model while the old one is still answering.
/// </summary>
public interface IServingModel : IDisposable
{
    /// <summary>Name, version, alias, commit and metrics of this model version.</summary>
    ModelDescriptor Descriptor { get; }

    /// <summary>The output heads in a fixed order (one for single-task models), with their label names.</summary>
    IReadOnlyList<ModelHead> Heads { get; }

    /// <summary>What the model reads: texts or images.</summary>
    ModelModality Modality { get; }

    /// <summary>
    /// Classifies <paramref name="texts"/>; the result has one entry per input, in input order,
    /// each with one <see cref="HeadPrediction"/> per head in <see cref="Heads"/> order. For an
    /// image model (<see cref="Modality"/>) each input is an encoded image file (PNG, JPEG, …) in
    /// base64, as the request carried it or as the service encoded an upload.
    /// </summary>
    IReadOnlyList<ModelPrediction> Predict(IReadOnlyList<string> texts);
}

/// <summary>What a model classifies.</summary>
public enum ModelModality
{
    /// <summary>Texts.</summary>
    Text,

    /// <summary>Images, sent as base64 image files or multipart uploads.</summary>
    Image,
}

/// <summary>One output head of a model.</summary>
/// <param name="Name">The head's name, e.g. <c>intent</c>; unique within the model.</param>
/// <param name="Labels">The label names, index-aligned with the head's logits.</param>
public sealed record ModelHead(string Name, IReadOnlyList<string> Labels)
{
    /// <summary>
    /// True for a multi-label head: one sigmoid per label, and every label whose probability
    /// reaches its threshold is predicted. False (default): softmax, one label.
    /// </summary>
    public bool MultiLabel { get; init; }

    /// <summary>Multi-label only: per-label thresholds in (0, 1), index-aligned with <see cref="Labels"/>; null means 0.5 each.</summary>
    public IReadOnlyList<float>? Thresholds { get; init; }
}

/// <summary>The prediction for one input text: one entry per head.</summary>
public sealed record ModelPrediction(IReadOnlyList<HeadPrediction> Heads);

/// <summary>One head's answer for one input.</summary>
/// <param name="Head">The head's name.</param>
/// <param name="Label">The label with the highest score.</param>
/// <param name="Scores">Probabilities, index-aligned with the head's labels: softmax for a single-label head, one sigmoid per label for a multi-label head.</param>
public sealed record HeadPrediction(string Head, string Label, IReadOnlyList<float> Scores)
{
    /// <summary>The score of <see cref="Label"/>.</summary>
    public float Score => Scores.Count == 0 ? 0f : Scores.Max();

    /// <summary>Multi-label heads: every label at or above its threshold (possibly none). Single-label heads: <see cref="Label"/> alone.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [Label];
}
