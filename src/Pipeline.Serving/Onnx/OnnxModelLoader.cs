using Pipeline.Serving.Models;

namespace Pipeline.Serving.Onnx;

/// <summary>Loads folders holding <c>model.onnx</c>, <c>labels.json</c> and <c>vocab.txt</c> with ONNX Runtime.</summary>
public sealed class OnnxModelLoader : IModelLoader
{
    /// <summary>The ONNX graph's file name in a model folder.</summary>
    public const string ModelFile = "model.onnx";

    /// <summary>The WordPiece vocabulary's file name in a model folder.</summary>
    public const string VocabularyFile = "vocab.txt";

    private readonly OnnxModelOptions _options;

    public OnnxModelLoader(OnnxModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    public bool CanLoad(string folder) => File.Exists(Path.Combine(folder, ModelFile));

    public IServingModel Load(string folder, ModelDescriptor descriptor) => OnnxServingModel.Load(folder, descriptor, _options);
}
