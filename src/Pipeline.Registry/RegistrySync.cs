using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Pipeline.Registry;

/// <summary>
/// Replays a <see cref="LocalRegistry"/> into another store (usually a real MLflow server):
/// experiments, runs (params, metrics, tags, status), artifacts, registered models, versions,
/// their tags and aliases. Idempotent: remote runs and versions carry the local ids in
/// <see cref="LocalRunIdTag"/> and <see cref="LocalVersionTag"/>, so a second pass finds them
/// instead of creating them again, and only missing metric points and files are sent.
/// </summary>
public sealed class RegistrySync
{
    /// <summary>Run tag holding the local run id.</summary>
    public const string LocalRunIdTag = "pipeline.local_run_id";

    /// <summary>Model-version tag holding the local version number.</summary>
    public const string LocalVersionTag = "pipeline.local_version";

    private readonly ILogger _logger;
    private int _experimentsCreated;
    private int _runsCreated;
    private int _runsReused;
    private int _metricPoints;
    private int _artifacts;
    private int _versionsCreated;
    private int _versionsReused;
    private int _aliases;

    private RegistrySync(ILogger logger) => _logger = logger;

    /// <summary>Copies everything in <paramref name="from"/> that <paramref name="to"/> lacks.</summary>
    public static async Task<SyncReport> SyncAsync(LocalRegistry from, IMlflowClient to, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var sync = new RegistrySync(logger ?? NullLogger.Instance);
        var runMap = new Dictionary<string, Run>(StringComparer.Ordinal);
        foreach (var experiment in await AllAsync((t, ct) => from.SearchExperimentsAsync(1000, t, ct), cancellationToken).ConfigureAwait(false))
        {
            await sync.SyncExperimentAsync(from, to, experiment, runMap, cancellationToken).ConfigureAwait(false);
        }

        foreach (var model in await AllAsync((t, ct) => from.SearchRegisteredModelsAsync(100, t, ct), cancellationToken).ConfigureAwait(false))
        {
            await sync.SyncModelAsync(from, to, model, runMap, cancellationToken).ConfigureAwait(false);
        }

        var report = new SyncReport(sync._experimentsCreated, sync._runsCreated, sync._runsReused, sync._metricPoints, sync._artifacts,
            sync._versionsCreated, sync._versionsReused, sync._aliases);
        sync._logger.LogInformation("Sync done: {Report}.", report);
        return report;
    }

    private async Task SyncExperimentAsync(LocalRegistry from, IMlflowClient to, Experiment experiment, Dictionary<string, Run> runMap, CancellationToken cancellationToken)
    {
        var remote = await to.GetExperimentByNameAsync(experiment.Name, cancellationToken).ConfigureAwait(false);
        if (remote is null)
        {
            remote = await to.GetOrCreateExperimentAsync(experiment.Name, cancellationToken).ConfigureAwait(false);
            _experimentsCreated++;
        }

        var localRuns = await AllAsync((t, ct) => from.SearchRunsAsync([experiment.ExperimentId], null, 1000, t, ct), cancellationToken).ConfigureAwait(false);
        foreach (var local in localRuns.OrderBy(r => r.Info.StartTime))
        {
            runMap[local.Info.RunId] = await SyncRunAsync(from, to, remote.ExperimentId, local, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<Run> SyncRunAsync(LocalRegistry from, IMlflowClient to, string remoteExperimentId, Run local, CancellationToken cancellationToken)
    {
        var localId = local.Info.RunId;
        var filter = $"tags.`{LocalRunIdTag}` = {SearchFilter.Quote(localId)}";
        var matches = (await to.SearchRunsAsync([remoteExperimentId], filter, 10, null, cancellationToken).ConfigureAwait(false)).Items;
        var found = matches.Count > 0 ? matches[0] : null;
        var existingPoints = new HashSet<Metric>();
        Run remote;
        if (found is null)
        {
            var tags = local.Data.TagMap.ToDictionary(StringComparer.Ordinal);
            tags[LocalRunIdTag] = localId;
            remote = await to.CreateRunAsync(remoteExperimentId, local.Info.RunName, tags, local.Info.StartTime, cancellationToken).ConfigureAwait(false);
            _runsCreated++;
        }
        else
        {
            remote = found;
            _runsReused++;
            foreach (var key in remote.Data.Metrics.Select(m => m.Key).Distinct(StringComparer.Ordinal))
            {
                existingPoints.UnionWith(await to.GetMetricHistoryAsync(remote.Info.RunId, key, cancellationToken).ConfigureAwait(false));
            }
        }

        var metrics = new List<Metric>();
        foreach (var key in local.Data.Metrics.Select(m => m.Key).Distinct(StringComparer.Ordinal))
        {
            metrics.AddRange((await from.GetMetricHistoryAsync(localId, key, cancellationToken).ConfigureAwait(false)).Where(m => !existingPoints.Contains(m)));
        }

        var remoteTags = remote.Data.TagMap;
        var tagsToSet = local.Data.Tags.Where(t => !remoteTags.TryGetValue(t.Key, out var v) || v != t.Value).ToList();
        await to.LogBatchAsync(remote.Info.RunId, metrics, local.Data.Params, tagsToSet, cancellationToken).ConfigureAwait(false);
        _metricPoints += metrics.Count;

        await SyncArtifactsAsync(from, to, localId, remote.Info.RunId, cancellationToken).ConfigureAwait(false);

        if (remote.Info.Status != local.Info.Status || remote.Info.EndTime != local.Info.EndTime)
        {
            await to.UpdateRunAsync(remote.Info.RunId, local.Info.Status, local.Info.EndTime, cancellationToken).ConfigureAwait(false);
        }

        return remote;
    }

    private async Task SyncArtifactsAsync(LocalRegistry from, IMlflowClient to, string localRunId, string remoteRunId, CancellationToken cancellationToken)
    {
        var remoteFiles = (await to.ListArtifactFilesAsync(remoteRunId, null, cancellationToken).ConfigureAwait(false))
            .ToDictionary(f => f.Path, f => f.FileSize, StringComparer.Ordinal);
        var localRun = await from.GetRunAsync(localRunId, cancellationToken).ConfigureAwait(false);
        var localRoot = from.RunArtifactDirectory(localRun.Info.ExperimentId, localRunId);

        // MLmodel files last, as LogArtifactsAsync does, so a model folder is complete before it is described.
        var pending = (await from.ListArtifactFilesAsync(localRunId, null, cancellationToken).ConfigureAwait(false))
            .Where(f => !remoteFiles.TryGetValue(f.Path, out var size) || size != f.FileSize)
            .OrderBy(f => Path.GetFileName(f.Path) == LoggedModel.MLmodelFileName ? 1 : 0)
            .ToList();
        foreach (var file in pending)
        {
            var directory = file.Path.Contains('/', StringComparison.Ordinal) ? file.Path[..file.Path.LastIndexOf('/')] : null;
            await to.LogArtifactAsync(remoteRunId, Path.Combine(localRoot, file.Path), directory, cancellationToken).ConfigureAwait(false);
            _artifacts++;
        }
    }

    private async Task SyncModelAsync(LocalRegistry from, IMlflowClient to, RegisteredModel model, Dictionary<string, Run> runMap, CancellationToken cancellationToken)
    {
        await to.EnsureRegisteredModelAsync(model.Name, cancellationToken).ConfigureAwait(false);
        foreach (var tag in model.Tags)
        {
            await to.SetRegisteredModelTagAsync(model.Name, tag.Key, tag.Value, cancellationToken).ConfigureAwait(false);
        }

        var remoteVersions = new Dictionary<string, ModelVersion>(StringComparer.Ordinal);
        await foreach (var v in to.SearchAllModelVersionsAsync("name=" + SearchFilter.Quote(model.Name), cancellationToken).ConfigureAwait(false))
        {
            if (v.Tags.TryGetValue(LocalVersionTag, out var localVersion))
            {
                remoteVersions[localVersion] = v;
            }
        }

        var versionMap = new Dictionary<int, int>();
        var locals = new List<ModelVersion>();
        await foreach (var v in from.SearchAllModelVersionsAsync("name=" + SearchFilter.Quote(model.Name), cancellationToken).ConfigureAwait(false))
        {
            locals.Add(v);
        }

        foreach (var local in locals.OrderBy(v => v.Version))
        {
            var key = local.Version.ToString(CultureInfo.InvariantCulture);
            if (remoteVersions.TryGetValue(key, out var existing))
            {
                versionMap[local.Version] = existing.Version;
                _versionsReused++;
                continue;
            }

            var remoteRun = local.RunId.Length > 0 && runMap.TryGetValue(local.RunId, out var r) ? r : null;
            var tags = local.Tags.ToDictionary(StringComparer.Ordinal);
            tags[LocalVersionTag] = key;
            var created = await to.CreateModelVersionAsync(model.Name, MapSource(from, local, remoteRun), remoteRun?.Info.RunId, tags,
                local.Description.Length > 0 ? local.Description : null, null, cancellationToken).ConfigureAwait(false);
            versionMap[local.Version] = created.Version;
            _versionsCreated++;
        }

        var remoteModel = await to.GetRegisteredModelAsync(model.Name, cancellationToken).ConfigureAwait(false);
        foreach (var (alias, version) in model.Aliases)
        {
            var target = versionMap[version];
            if (!remoteModel.Aliases.TryGetValue(alias, out var current) || current != target)
            {
                await to.SetRegisteredModelAliasAsync(model.Name, alias, target, cancellationToken).ConfigureAwait(false);
                _aliases++;
            }
        }
    }

    /// <summary>
    /// A source inside the local run's artifacts (its <c>file://</c> URI or <c>runs:/&lt;id&gt;/...</c>)
    /// becomes the same path under the remote run's artifact URI; anything else is kept.
    /// </summary>
    private static string MapSource(LocalRegistry from, ModelVersion local, Run? remoteRun)
    {
        if (remoteRun is null)
        {
            return local.Source;
        }

        var runsPrefix = "runs:/" + local.RunId + "/";
        if (local.Source.StartsWith(runsPrefix, StringComparison.Ordinal))
        {
            return remoteRun.Info.ArtifactUri.TrimEnd('/') + "/" + local.Source[runsPrefix.Length..];
        }

        var marker = "/" + local.RunId + "/artifacts/";
        var index = local.Source.IndexOf(marker, StringComparison.Ordinal);
        if (index >= 0 && local.Source.StartsWith(new Uri(from.ArtifactsRoot).AbsoluteUri, StringComparison.Ordinal))
        {
            return remoteRun.Info.ArtifactUri.TrimEnd('/') + "/" + local.Source[(index + marker.Length)..];
        }

        return local.Source;
    }

    private static async Task<List<T>> AllAsync<T>(Func<string?, CancellationToken, Task<PagedList<T>>> page, CancellationToken cancellationToken)
    {
        var all = new List<T>();
        string? token = null;
        do
        {
            var result = await page(token, cancellationToken).ConfigureAwait(false);
            all.AddRange(result.Items);
            token = result.NextPageToken;
        }
        while (token is not null);

        return all;
    }
}
