using Pipeline.Serving.Models;
using Pipeline.Serving.TorchSharp;

namespace Pipeline.Serving.Images;

/// <summary>Loads image classifier folders (<see cref="ImageServingModel"/>) with TorchSharp.</summary>
public sealed class ImageModelLoader : IModelLoader
{
    private readonly TorchSharpModelOptions _options;

    public ImageModelLoader(TorchSharpModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    public bool CanLoad(string folder) => ImageServingModel.IsImageClassifierFolder(folder);

    public IServingModel Load(string folder, ModelDescriptor descriptor) => ImageServingModel.Load(folder, descriptor, _options);
}
