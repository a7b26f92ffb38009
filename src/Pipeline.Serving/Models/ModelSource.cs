using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Pipeline.Serving.Onnx;
using Pipeline.Serving.TorchSharp;

namespace Pipeline.Serving.Models;

/// <summary>
/// The service's <see cref="IModelSource"/>: local folders directly, <c>models:/</c> references through
/// an <see cref="IModelRegistryResolver"/>; folders are loaded by the first matching <see cref="IModelLoader"/>.
/// </summary>
public sealed class ModelSource : IModelSource
{
    private readonly IReadOnlyList<IModelLoader> _loaders;
    private readonly IModelRegistryResolver? _registry;

    /// <param name="loaders">Tried in order; the first that can load a folder loads it.</param>
    /// <param name="registry">Resolves <c>models:/</c> references; null serves local folders only.</param>
    public ModelSource(IReadOnlyList<IModelLoader> loaders, IModelRegistryResolver? registry = null)
    {
        ArgumentNullException.ThrowIfNull(loaders);
        if (loaders.Count == 0)
        {
            throw new ArgumentException("At least one model loader is needed.", nameof(loaders));
        }

        _loaders = loaders;
        _registry = registry;
    }

    /// <summary>A source with the ONNX Runtime loader only.</summary>
    public static ModelSource Onnx(IModelRegistryResolver? registry = null, OnnxModelOptions? options = null) =>
        new([new OnnxModelLoader(options ?? new OnnxModelOptions())], registry);

    /// <summary>
    /// The service's default source: ONNX Runtime for folders with <c>model.onnx</c>, else TorchSharp for
    /// classifier folders (<c>tasks.json</c> + <c>heads.safetensors</c>) that have no export, and
    /// TorchSharp for image classifiers (config.json with <c>tasks</c> and <c>image_size</c>).
    /// </summary>
    public static ModelSource Default(
        IModelRegistryResolver? registry = null, OnnxModelOptions? onnx = null, TorchSharpModelOptions? torchSharp = null) =>
        new(
        [
            new OnnxModelLoader(onnx ?? new OnnxModelOptions()),
            new TorchSharpModelLoader(torchSharp ?? new TorchSharpModelOptions()),
            new Images.ImageModelLoader(torchSharp ?? new TorchSharpModelOptions()),
        ], registry);

    public async Task<string> ResolveVersionAsync(ModelReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.IsRegistry)
        {
            var registered = await Registry(reference).ResolveAsync(reference, cancellationToken).ConfigureAwait(false);
            return registered.Version;
        }

        return DescribeFolder(reference.Folder!).Version;
    }

    public async Task<IServingModel> LoadAsync(ModelReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        string folder;
        ModelDescriptor descriptor;
        if (reference.IsRegistry)
        {
            var registry = Registry(reference);
            var registered = await registry.ResolveAsync(reference, cancellationToken).ConfigureAwait(false);
            folder = await registry.MaterializeAsync(registered, cancellationToken).ConfigureAwait(false);
            descriptor = new ModelDescriptor(registered.Name, registered.Version, registered.Alias, registered.Commit, registered.Metrics);
        }
        else
        {
            folder = reference.Folder!;
            descriptor = DescribeFolder(folder);
        }

        var loader = _loaders.FirstOrDefault(l => l.CanLoad(folder))
            ?? throw new ServingException(
                $"No model loader recognises the folder '{folder}' of {reference}: an ONNX model needs model.onnx, labels.json and vocab.txt; a TorchSharp classifier needs tasks.json, heads.safetensors, vocab.txt and either config.json + model.safetensors or base_model.json (+ adapter/).");
        return await Task.Run(() => loader.Load(folder, descriptor), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The descriptor of a local folder: name, version, commit and metrics from its optional
    /// <c>model.json</c>; without a version there, a fingerprint of the files' sizes and times.
    /// </summary>
    public static ModelDescriptor DescribeFolder(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder))
        {
            throw new ServingException($"The model folder '{folder}' does not exist: pass an existing folder or a models:/ reference.");
        }

        var manifest = ModelManifest.Read(folder);
        var name = manifest.Name ?? new DirectoryInfo(folder).Name;
        var version = manifest.Version ?? Fingerprint(folder);
        return new ModelDescriptor(name, version, null, manifest.Commit, manifest.Metrics);
    }

    private IModelRegistryResolver Registry(ModelReference reference) =>
        _registry ?? throw new ServingException(
            $"The reference {reference} needs a model registry, but the service was started without one: serve a local model folder or configure the registry.");

    private static string Fingerprint(string folder)
    {
        var builder = new StringBuilder();
        foreach (var file in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
        {
            var info = new FileInfo(file);
            builder.Append(info.Name).Append('|').Append(info.Length.ToString(CultureInfo.InvariantCulture))
                .Append('|').Append(info.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString()));
        return "local-" + Convert.ToHexStringLower(hash)[..12];
    }
}
