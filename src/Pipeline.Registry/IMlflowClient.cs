namespace Pipeline.Registry;

/// <summary>
/// The MLflow tracking and registry operations the pipeline uses, shaped like MLflow's Python
/// <c>MlflowClient</c> (run id first). Served by <see cref="MlflowClient"/> (a real server) and
/// <see cref="LocalRegistry"/> (the embedded default under <c>./mlruns</c>); both raise
/// <see cref="MlflowApiException"/> with MLflow's error codes.
/// </summary>
public interface IMlflowClient : IDisposable
{
    /// <summary>The experiment with that name, or null when there is none.</summary>
    Task<Experiment?> GetExperimentByNameAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>The experiment with that id; RESOURCE_DOES_NOT_EXIST when missing.</summary>
    Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken = default);

    /// <summary>Creates an experiment and returns its id; RESOURCE_ALREADY_EXISTS on a duplicate name.</summary>
    Task<string> CreateExperimentAsync(string name, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default);

    /// <summary>Active experiments, one page at a time.</summary>
    Task<PagedList<Experiment>> SearchExperimentsAsync(int maxResults = 1000, string? pageToken = null, CancellationToken cancellationToken = default);

    /// <summary>Creates a RUNNING run; the server adds <c>mlflow.runName</c>.</summary>
    Task<Run> CreateRunAsync(string experimentId, string? runName = null, IReadOnlyDictionary<string, string>? tags = null, long? startTime = null, CancellationToken cancellationToken = default);

    /// <summary>The run; RESOURCE_DOES_NOT_EXIST when missing.</summary>
    Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Sets the status and (optionally) the end time of a run.</summary>
    Task<RunInfo> UpdateRunAsync(string runId, RunStatus status, long? endTime = null, CancellationToken cancellationToken = default);

    /// <summary>Runs of the given experiments matching a filter such as <c>tags.`k` = 'v'</c>, newest first.</summary>
    Task<PagedList<Run>> SearchRunsAsync(IReadOnlyList<string> experimentIds, string? filter = null, int maxResults = 1000, string? pageToken = null, CancellationToken cancellationToken = default);

    /// <summary>Sets one run tag (last write wins).</summary>
    Task SetTagAsync(string runId, string key, string value, CancellationToken cancellationToken = default);

    /// <summary>
    /// Logs metrics, params and tags, split into calls within MLflow's limits. Re-logging a param
    /// with an equal value is accepted; a different value raises <see cref="ParamValueChangedException"/>.
    /// </summary>
    Task LogBatchAsync(string runId, IReadOnlyList<Metric>? metrics = null, IReadOnlyList<Param>? @params = null, IReadOnlyList<RunTag>? tags = null, CancellationToken cancellationToken = default);

    /// <summary>Every logged point of one metric, ordered by step then timestamp.</summary>
    Task<IReadOnlyList<Metric>> GetMetricHistoryAsync(string runId, string key, CancellationToken cancellationToken = default);

    /// <summary>Uploads one file (streamed) to <c>artifactPath/&lt;file name&gt;</c> under the run's artifact root.</summary>
    Task LogArtifactAsync(string runId, string localPath, string? artifactPath = null, CancellationToken cancellationToken = default);

    /// <summary>The direct children of <paramref name="path"/> (run-relative paths); empty when absent.</summary>
    Task<IReadOnlyList<ArtifactFile>> ListArtifactsAsync(string runId, string? path = null, CancellationToken cancellationToken = default);

    /// <summary>Downloads one artifact file (streamed) to <paramref name="localFile"/>, atomically.</summary>
    Task DownloadArtifactAsync(string runId, string artifactPath, string localFile, CancellationToken cancellationToken = default);

    /// <summary>Creates a registered model; RESOURCE_ALREADY_EXISTS on a duplicate name.</summary>
    Task<RegisteredModel> CreateRegisteredModelAsync(string name, string? description = null, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default);

    /// <summary>The registered model with its tags and aliases; RESOURCE_DOES_NOT_EXIST when missing.</summary>
    Task<RegisteredModel> GetRegisteredModelAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Registered models, one page at a time.</summary>
    Task<PagedList<RegisteredModel>> SearchRegisteredModelsAsync(int maxResults = 100, string? pageToken = null, CancellationToken cancellationToken = default);

    /// <summary>Sets a registered-model tag.</summary>
    Task SetRegisteredModelTagAsync(string name, string key, string value, CancellationToken cancellationToken = default);

    /// <summary>Deletes a registered-model tag.</summary>
    Task DeleteRegisteredModelTagAsync(string name, string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates the next version of <paramref name="name"/> and, when <paramref name="awaitCreationFor"/>
    /// is positive, waits until it is READY. Never creates two versions for one call, even when retried.
    /// </summary>
    Task<ModelVersion> CreateModelVersionAsync(string name, string source, string? runId = null, IReadOnlyDictionary<string, string>? tags = null, string? description = null, TimeSpan? awaitCreationFor = null, CancellationToken cancellationToken = default);

    /// <summary>One version; RESOURCE_DOES_NOT_EXIST when missing.</summary>
    Task<ModelVersion> GetModelVersionAsync(string name, int version, CancellationToken cancellationToken = default);

    /// <summary>Versions matching a filter such as <c>name='m'</c>, <c>run_id='r'</c> or <c>tags.`k`='v'</c> joined by AND, newest first.</summary>
    Task<PagedList<ModelVersion>> SearchModelVersionsAsync(string? filter = null, int maxResults = 200, string? pageToken = null, CancellationToken cancellationToken = default);

    /// <summary>Sets a version's description.</summary>
    Task<ModelVersion> UpdateModelVersionAsync(string name, int version, string description, CancellationToken cancellationToken = default);

    /// <summary>Sets a model-version tag.</summary>
    Task SetModelVersionTagAsync(string name, int version, string key, string value, CancellationToken cancellationToken = default);

    /// <summary>Deletes a model-version tag.</summary>
    Task DeleteModelVersionTagAsync(string name, int version, string key, CancellationToken cancellationToken = default);

    /// <summary>Points <paramref name="alias"/> at <paramref name="version"/>, moving it if it exists.</summary>
    Task SetRegisteredModelAliasAsync(string name, string alias, int version, CancellationToken cancellationToken = default);

    /// <summary>Removes an alias.</summary>
    Task DeleteRegisteredModelAliasAsync(string name, string alias, CancellationToken cancellationToken = default);

    /// <summary>The version an alias points at; INVALID_PARAMETER_VALUE (as MLflow) when the alias is unknown.</summary>
    Task<ModelVersion> GetModelVersionByAliasAsync(string name, string alias, CancellationToken cancellationToken = default);
}
