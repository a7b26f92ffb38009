using System.Globalization;
using System.Runtime.CompilerServices;
using Pipeline.Errors;

namespace Pipeline.Registry;

/// <summary>Operations built from <see cref="IMlflowClient"/> calls, the same for every store.</summary>
public static class MlflowClientExtensions
{
    /// <summary>Run tag MLflow's UI shows as the run's description (Markdown).</summary>
    public const string NoteContentTag = "mlflow.note.content";

    /// <summary>
    /// The experiment with that name, created when missing. A concurrent creator makes our create
    /// fail with RESOURCE_ALREADY_EXISTS; then the experiment is read again (MLFLOW.md, section 2).
    /// </summary>
    public static async Task<Experiment> GetOrCreateExperimentAsync(this IMlflowClient client, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (await client.GetExperimentByNameAsync(name, cancellationToken).ConfigureAwait(false) is { } found)
        {
            return found.LifecycleStage == "deleted"
                ? throw new PipelineException(
                    $"Experiment '{name}' (id {found.ExperimentId}) is deleted and still holds its name; restore it (mlflow experiments restore --experiment-id {found.ExperimentId}) or use another experiment name.")
                : found;
        }

        try
        {
            var id = await client.CreateExperimentAsync(name, null, cancellationToken).ConfigureAwait(false);
            return await client.GetExperimentAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (MlflowApiException ex) when (ex.ErrorCode == MlflowErrorCodes.ResourceAlreadyExists)
        {
            return await client.GetExperimentByNameAsync(name, cancellationToken).ConfigureAwait(false)
                ?? throw new PipelineException($"Experiment '{name}' exists but cannot be read; check the server's permissions.", ex);
        }
    }

    /// <summary>Sets the run's Markdown description (the <c>mlflow.note.content</c> tag).</summary>
    public static Task SetRunDescriptionAsync(this IMlflowClient client, string runId, string markdown, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.SetTagAsync(runId, NoteContentTag, markdown, cancellationToken);
    }

    /// <summary>Logs one metric point (timestamp defaults to now).</summary>
    public static Task LogMetricAsync(this IMlflowClient client, string runId, string key, double value, long step = 0, long? timestamp = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.LogBatchAsync(runId, [new Metric(key, value, timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), step)], cancellationToken: cancellationToken);
    }

    /// <summary>Logs one param; the value is formatted culture-invariant.</summary>
    public static Task LogParamAsync(this IMlflowClient client, string runId, string key, IFormattable value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(value);
        return client.LogBatchAsync(runId, @params: [new Param(key, value.ToString(null, CultureInfo.InvariantCulture))], cancellationToken: cancellationToken);
    }

    /// <summary>Ends a run: FINISHED (or the given status) with the end time now.</summary>
    public static Task<RunInfo> SetTerminatedAsync(this IMlflowClient client, string runId, RunStatus status = RunStatus.Finished, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.UpdateRunAsync(runId, status, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), cancellationToken);
    }

    /// <summary>
    /// Uploads every file under <paramref name="localDirectory"/> to <paramref name="artifactPath"/>,
    /// one streamed request per file; a top-level <c>MLmodel</c> goes last, so a reader never sees
    /// a model descriptor before its files.
    /// </summary>
    public static async Task LogArtifactsAsync(this IMlflowClient client, string runId, string localDirectory, string? artifactPath = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var root = Path.GetFullPath(localDirectory);
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .OrderBy(f => f == LoggedModel.MLmodelFileName ? 1 : 0)
            .ThenBy(f => f, StringComparer.Ordinal)
            .ToList();
        foreach (var relative in files)
        {
            var directory = Path.GetDirectoryName(relative)?.Replace('\\', '/');
            await client.LogArtifactAsync(runId, Path.Combine(root, relative), ArtifactPaths.Join(artifactPath, directory ?? ""), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Every file (not directory) under <paramref name="path"/>, recursively, run-relative.</summary>
    public static async Task<IReadOnlyList<ArtifactFile>> ListArtifactFilesAsync(this IMlflowClient client, string runId, string? path = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var result = new List<ArtifactFile>();
        var pending = new Stack<string?>([path]);
        while (pending.Count > 0)
        {
            foreach (var entry in await client.ListArtifactsAsync(runId, pending.Pop(), cancellationToken).ConfigureAwait(false))
            {
                if (entry.IsDir)
                {
                    pending.Push(entry.Path);
                }
                else
                {
                    result.Add(entry);
                }
            }
        }

        return result.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
    }

    /// <summary>Downloads every file under <paramref name="artifactPath"/> into <paramref name="localDirectory"/>, streamed.</summary>
    public static async Task DownloadArtifactsAsync(this IMlflowClient client, string runId, string artifactPath, string localDirectory, CancellationToken cancellationToken = default)
    {
        var prefix = ArtifactPaths.Normalize(artifactPath);
        foreach (var file in await client.ListArtifactFilesAsync(runId, prefix, cancellationToken).ConfigureAwait(false))
        {
            var relative = prefix.Length == 0 ? file.Path : file.Path[(prefix.Length + 1)..];
            await client.DownloadArtifactAsync(runId, file.Path, Path.Combine(localDirectory, relative), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Every version matching <paramref name="filter"/>, following page tokens.</summary>
    public static async IAsyncEnumerable<ModelVersion> SearchAllModelVersionsAsync(this IMlflowClient client, string? filter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        string? token = null;
        do
        {
            var page = await client.SearchModelVersionsAsync(filter, 200, token, cancellationToken).ConfigureAwait(false);
            foreach (var version in page.Items)
            {
                yield return version;
            }

            token = page.NextPageToken;
        }
        while (token is not null);
    }

    /// <summary>Polls until the version is READY; fails on FAILED_REGISTRATION or after <paramref name="timeout"/>.</summary>
    public static async Task<ModelVersion> WaitForModelVersionReadyAsync(this IMlflowClient client, string name, int version, TimeSpan timeout, TimeSpan? pollInterval = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var current = await client.GetModelVersionAsync(name, version, cancellationToken).ConfigureAwait(false);
            switch (current.Status)
            {
                case ModelVersionStatus.Ready:
                    return current;
                case ModelVersionStatus.FailedRegistration:
                    throw new PipelineException($"Model '{name}' version {version} failed to register: {current.StatusMessage}");
                default:
                    if (DateTimeOffset.UtcNow >= deadline)
                    {
                        throw new PipelineException(
                            $"Model '{name}' version {version} is still {MlflowJson.EnumName(current.Status)} after {timeout.TotalSeconds:F0} s; wait longer or check the server's registry backend.");
                    }

                    await Task.Delay(pollInterval ?? TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    /// <summary>Creates the registered model unless it exists (RESOURCE_ALREADY_EXISTS is fine).</summary>
    public static async Task<RegisteredModel> EnsureRegisteredModelAsync(this IMlflowClient client, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        try
        {
            return await client.CreateRegisteredModelAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (MlflowApiException ex) when (ex.ErrorCode == MlflowErrorCodes.ResourceAlreadyExists)
        {
            return await client.GetRegisteredModelAsync(name, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Idempotent registration: returns the version of <paramref name="name"/> already registered
    /// for <paramref name="runId"/> (found by <c>run_id</c> search), else creates one. A retried or
    /// re-run Register therefore never makes a second version for the same run, even when an
    /// earlier create reached the server and only its answer was lost.
    /// </summary>
    public static async Task<ModelVersion> RegisterModelVersionAsync(
        this IMlflowClient client, string name, string source, string runId, IReadOnlyDictionary<string, string>? tags = null,
        string? description = null, TimeSpan? awaitCreationFor = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (client is LocalRegistry local)
        {
            // The embedded store does the look-up and the create in one transaction.
            return await local.GetOrCreateModelVersionForRunAsync(name, source, runId, tags, description, cancellationToken).ConfigureAwait(false);
        }

        await client.EnsureRegisteredModelAsync(name, cancellationToken).ConfigureAwait(false);
        ModelVersion? existing = null;
        await foreach (var version in client.SearchAllModelVersionsAsync("run_id=" + SearchFilter.Quote(runId), cancellationToken).ConfigureAwait(false))
        {
            if (version.Name == name && (existing is null || version.Version < existing.Version))
            {
                existing = version;
            }
        }

        if (existing is not null)
        {
            return existing.Status == ModelVersionStatus.Ready
                ? existing
                : await client.WaitForModelVersionReadyAsync(name, existing.Version, awaitCreationFor ?? TimeSpan.FromMinutes(5), cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return await client.CreateModelVersionAsync(name, source, runId, tags, description, awaitCreationFor, cancellationToken).ConfigureAwait(false);
    }
}
