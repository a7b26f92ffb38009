using Pipeline.Serving.Models;
using Pipeline.Training.Heads;

namespace Pipeline.Serving.TorchSharp;

/// <summary>
/// Loads classifier folders written by the training library (<c>ClassifierFolder.Save</c>: a Hugging Face
/// encoder folder plus <c>heads.safetensors</c>, <c>tasks.json</c> and <c>vocab.txt</c>) with TorchSharp.
/// The fallback for models without an ONNX export: <see cref="ModelSource.Default"/> tries ONNX first.
/// </summary>
public sealed class TorchSharpModelLoader : IModelLoader
{
    private readonly TorchSharpModelOptions _options;

    public TorchSharpModelLoader(TorchSharpModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    public bool CanLoad(string folder) =>
        File.Exists(Path.Combine(folder, ClassifierFolder.TasksFile)) && File.Exists(Path.Combine(folder, ClassifierFolder.HeadsFile));

    public IServingModel Load(string folder, ModelDescriptor descriptor) => TorchSharpServingModel.Load(folder, descriptor, _options);
}
