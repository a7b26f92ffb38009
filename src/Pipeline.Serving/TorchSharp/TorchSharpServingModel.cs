using System.Globalization;
using Pipeline.Errors;
using Pipeline.Serving.Internal;
using Pipeline.Serving.Models;
using Pipeline.Training.Devices;
using Pipeline.Training.Heads;
using Pipeline.Training.Loading;
using static TorchSharp.torch;

namespace Pipeline.Serving.TorchSharp;

/// <summary>
/// A <see cref="TextClassifier"/> run eagerly by TorchSharp in eval mode under <c>no_grad</c>: WordPiece
/// tokens padded to the longest input in the batch, logits per head, softmax or sigmoid per head.
/// </summary>
public sealed class TorchSharpServingModel : IServingModel
{
    private readonly TextClassifier _model;
    private readonly WordPieceEncoder _encoder;
    private readonly Device _device;

    private TorchSharpServingModel(TextClassifier model, WordPieceEncoder encoder, Device device, ModelDescriptor descriptor)
    {
        _model = model;
        _encoder = encoder;
        _device = device;
        Descriptor = descriptor;
        Heads = [.. model.Tasks.Select(ToHead)];
    }

    public ModelDescriptor Descriptor { get; }

    public IReadOnlyList<ModelHead> Heads { get; }

    public ModelModality Modality => ModelModality.Text;

    /// <summary>Loads a classifier folder onto the device <paramref name="options"/> asks for; throws <see cref="ServingException"/> saying what is wrong.</summary>
    public static TorchSharpServingModel Load(string folder, ModelDescriptor descriptor, TorchSharpModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var manifest = ModelManifest.Read(folder);
        var encoder = WordPieceEncoder.Load(
            Path.Combine(folder, HuggingFaceFolder.VocabFile), manifest.Lowercase ?? options.Lowercase, manifest.MaxSequenceLength ?? options.MaxSequenceLength, manifest.TruncateHead);
        Device device;
        TextClassifier model;
        try
        {
            device = TorchDevices.Resolve(options.Device);
            model = ClassifierFolder.Load(folder, device);
        }
        catch (Exception e) when (e is PipelineException or InvalidOperationException or ArgumentException or IOException)
        {
            throw new ServingException($"TorchSharp cannot load the classifier folder '{folder}': {e.Message}", e);
        }

        model.eval();
        return new TorchSharpServingModel(model, encoder, device, descriptor);
    }

    public IReadOnlyList<ModelPrediction> Predict(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count == 0)
        {
            return [];
        }

        var logits = Logits(texts);
        var result = new ModelPrediction[texts.Count];
        for (var i = 0; i < texts.Count; i++)
        {
            var heads = new List<HeadPrediction>(Heads.Count);
            for (var h = 0; h < Heads.Count; h++)
            {
                var width = Heads[h].Labels.Count;
                heads.Add(Probabilities.FromLogits(Heads[h], logits[h].AsSpan(i * width, width)));
            }

            result[i] = new ModelPrediction(heads);
        }

        return result;
    }

    /// <summary>Raw logits per head (in <see cref="Heads"/> order), row-major [texts, labels]: what the ONNX export is checked against.</summary>
    public float[][] Logits(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var (ids, mask, types, width) = _encoder.Encode(texts);
        long[] shape = [texts.Count, width];
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var output = _model.forward(
            tensor(ids, shape).to(_device), tensor(mask, shape).to(_device), tensor(types, shape).to(_device));
        return [.. _model.Tasks.Select(t => output[t.Name].to_type(ScalarType.Float32).cpu().contiguous().data<float>().ToArray())];
    }

    public void Dispose() => _model.Dispose();

    private static ModelHead ToHead(TaskHeadSpec task) =>
        new(task.Name, task.LabelNames ?? [.. Enumerable.Range(0, task.NumLabels).Select(i => i.ToString(CultureInfo.InvariantCulture))])
        {
            MultiLabel = task.Kind == TaskKind.MultiLabel,
            Thresholds = task.Kind == TaskKind.MultiLabel ? task.EffectiveThresholds() : null,
        };
}
