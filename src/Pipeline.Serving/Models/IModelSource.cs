namespace Pipeline.Serving.Models;

/// <summary>
/// Turns a <see cref="ModelReference"/> into a loaded model. The service calls
/// <see cref="ResolveVersionAsync"/> on every poll (it must be cheap) and <see cref="LoadAsync"/>
/// only when the version differs from the one serving.
/// </summary>
public interface IModelSource
{
    /// <summary>The version the reference points at now (for an alias, the version it is set on).</summary>
    Task<string> ResolveVersionAsync(ModelReference reference, CancellationToken cancellationToken);

    /// <summary>Loads the version the reference points at now; throws when it cannot be loaded.</summary>
    Task<IServingModel> LoadAsync(ModelReference reference, CancellationToken cancellationToken);
}

/// <summary>
/// The registry side of <c>models:/</c> references (the local <c>./mlruns</c> registry or an MLflow
/// server). The lead implements it over the registry library; <see cref="ModelSource"/> uses it.
/// </summary>
public interface IModelRegistryResolver
{
    /// <summary>Resolves the name plus alias or version to a registered version and its metadata (no download).</summary>
    Task<RegisteredModelVersion> ResolveAsync(ModelReference reference, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the version's model files available in a local folder (download or cache hit), verifying
    /// their checksums, and returns that folder. It holds the serving layout: <c>model.onnx</c>,
    /// <c>labels.json</c>, <c>vocab.txt</c> (or the TorchSharp files a TorchSharp loader reads).
    /// </summary>
    Task<string> MaterializeAsync(RegisteredModelVersion version, CancellationToken cancellationToken);
}

/// <summary>A registered version as the registry describes it.</summary>
public sealed record RegisteredModelVersion(
    string Name,
    string Version,
    string? Alias,
    string? Commit,
    IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>The run that logged the model, when the registry knows it.</summary>
    public string? RunId { get; init; }

    /// <summary>Where the model's files are, e.g. <c>runs:/RUN_ID/model</c>.</summary>
    public string? Source { get; init; }
}

/// <summary>
/// Loads one kind of model folder (ONNX, TorchSharp …). <see cref="ModelSource"/> asks each loader
/// in order and uses the first that <see cref="CanLoad"/> the folder.
/// </summary>
public interface IModelLoader
{
    /// <summary>True when the folder holds the files this loader needs (e.g. <c>model.onnx</c>).</summary>
    bool CanLoad(string folder);

    /// <summary>Loads the folder; <paramref name="descriptor"/> is what the service will report for it.</summary>
    IServingModel Load(string folder, ModelDescriptor descriptor);
}
