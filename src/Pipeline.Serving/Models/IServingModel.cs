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

    /// <summary>
    /// Classifies <paramref name="texts"/>; the result has one entry per input, in input order,
    /// each with one <see cref="HeadPrediction"/> per head in <see cref="Heads"/> order.
    /// </summary>
    IReadOnlyList<ModelPrediction> Predict(IReadOnlyList<string> texts);
}

/// <summary>One output head of a model.</summary>
/// <param name="Name">The head's name, e.g. <c>intent</c>; unique within the model.</param>
/// <param name="Labels">The label names, index-aligned with the head's logits.</param>
public sealed record ModelHead(string Name, IReadOnlyList<string> Labels);

/// <summary>The prediction for one input text: one entry per head.</summary>
public sealed record ModelPrediction(IReadOnlyList<HeadPrediction> Heads);

/// <summary>One head's answer for one input.</summary>
/// <param name="Head">The head's name.</param>
/// <param name="Label">The label with the highest score.</param>
/// <param name="Scores">Softmax probabilities, index-aligned with the head's labels.</param>
public sealed record HeadPrediction(string Head, string Label, IReadOnlyList<float> Scores)
{
    /// <summary>The score of <see cref="Label"/>.</summary>
    public float Score => Scores.Count == 0 ? 0f : Scores.Max();
}
