using System.Globalization;
using Pipeline.Registry;
using Pipeline.Serving.Onnx;
using Pipeline.Training.Heads;
using Pipeline.Training.Loading;
using Pipeline.Training.Models;

namespace Pipeline.Serving.Models;

/// <summary>
/// Resolves <c>models:/</c> references against the pipeline's registry (<see cref="IMlflowClient"/>:
/// the local <c>./mlruns</c> store or an MLflow server) and downloads each version's logged model
/// folder once into a cache, verifying <c>checksums.sha256</c> on download and on every reuse.
/// </summary>
public sealed class RegistryModelResolver : IModelRegistryResolver
{
    /// <summary>The model-version (or run) tag holding the commit the version was trained from.</summary>
    public const string CommitTag = "mlflow.source.git.commit";

    private readonly IMlflowClient _client;
    private readonly string _cacheRoot;

    /// <param name="client">The registry; not disposed here.</param>
    /// <param name="cacheRoot">Where downloaded versions are kept, one folder per <c>NAME/VERSION</c>.</param>
    public RegistryModelResolver(IMlflowClient client, string cacheRoot)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(cacheRoot);
        _client = client;
        _cacheRoot = Path.GetFullPath(cacheRoot);
    }

    public async Task<RegisteredModelVersion> ResolveAsync(ModelReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var name = reference.Name ?? throw new ArgumentException($"{reference} is not a models:/ reference.", nameof(reference));
        ModelVersion version;
        if (reference.Alias is { } alias)
        {
            version = await _client.TryGetByAliasAsync(name, alias, cancellationToken).ConfigureAwait(false)
                ?? throw new ServingException(
                    $"{reference}: no version of '{name}' has the alias '{alias}'. Promote one first (./build.sh Promote) or serve models:/{name}/VERSION.");
        }
        else
        {
            try
            {
                version = await _client.GetModelVersionAsync(name, reference.Version!.Value, cancellationToken).ConfigureAwait(false);
            }
            catch (MlflowApiException e) when (e.ErrorCode == MlflowErrorCodes.ResourceDoesNotExist)
            {
                throw new ServingException($"{reference}: the registry has no version {reference.Version} of '{name}'. List them with ./build.sh Models.", e);
            }
        }

        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        version.Tags.TryGetValue(CommitTag, out var commit);
        if (version.RunId.Length > 0)
        {
            var run = await _client.GetRunAsync(version.RunId, cancellationToken).ConfigureAwait(false);
            foreach (var metric in run.Data.Metrics.OrderBy(m => m.Step).ThenBy(m => m.Timestamp))
            {
                metrics[metric.Key] = metric.Value;
            }

            commit ??= run.Data.TagMap.GetValueOrDefault(CommitTag);
        }

        return new RegisteredModelVersion(name, version.Version.ToString(CultureInfo.InvariantCulture), reference.Alias, commit, metrics)
        {
            RunId = version.RunId,
            Source = version.Source,
        };
    }

    public async Task<string> MaterializeAsync(RegisteredModelVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        var folder = Path.Combine(_cacheRoot, Safe(version.Name), Safe(version.Version));
        var (runId, artifactPath) = ArtifactOf(version);

        // A cached copy that was changed or cut short is downloaded again.
        folder = await LoggedModel.FetchAsync(_client, runId, artifactPath, folder, cancellationToken: cancellationToken).ConfigureAwait(false);
        EnsureBaseResolves(folder, version);
        return folder;
    }

    /// <summary>
    /// A version logged as an adapter (or heads) plus a reference to its base, with no ONNX export
    /// (which holds the merged weights), can only run on TorchSharp, rebuilt on that base: fail
    /// here, naming the base, when this machine does not have it (or has other weights under its name).
    /// </summary>
    private static void EnsureBaseResolves(string folder, RegisteredModelVersion version)
    {
        if (File.Exists(Path.Combine(folder, OnnxModelLoader.ModelFile)) || !ClassifierFolder.ReferencesBase(folder))
        {
            return;
        }

        try
        {
            BaseModelReference.TryRead(folder)!.Resolve();
        }
        catch (ModelLoadException e)
        {
            throw new ServingException($"Version {version.Version} of '{version.Name}' was logged as an adapter on its base model and has no model.onnx: {e.Message}", e);
        }
    }

    /// <summary>The run and run-relative path of the logged model: from a <c>runs:/RUN/PATH</c> source, else the run's <c>model</c> folder.</summary>
    private static (string RunId, string ArtifactPath) ArtifactOf(RegisteredModelVersion version)
    {
        const string Runs = "runs:/";
        if (version.Source is { } source && source.StartsWith(Runs, StringComparison.Ordinal))
        {
            var rest = source[Runs.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0)
            {
                return (rest[..slash], rest[(slash + 1)..]);
            }
        }

        if (string.IsNullOrEmpty(version.RunId))
        {
            throw new ServingException(
                $"Version {version.Version} of '{version.Name}' has no run and its source '{version.Source}' is not runs:/RUN/PATH, so its files cannot be downloaded.");
        }

        return (version.RunId, "model");
    }

    private static string Safe(string segment) =>
        string.Concat(segment.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
}
