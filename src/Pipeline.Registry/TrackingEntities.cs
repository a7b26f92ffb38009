namespace Pipeline.Registry;

/// <summary>An MLflow experiment (<c>experiments/get-by-name</c>).</summary>
public sealed record Experiment(
    string ExperimentId,
    string Name,
    string ArtifactLocation,
    string LifecycleStage,
    long CreationTime,
    long LastUpdateTime,
    IReadOnlyDictionary<string, string> Tags);

/// <summary>Run lifecycle states; MLflow sends them as upper-case strings (<c>"FINISHED"</c>).</summary>
public enum RunStatus
{
    Running,
    Scheduled,
    Finished,
    Failed,
    Killed,
}

/// <summary>The <c>run.info</c> part of a run.</summary>
public sealed record RunInfo(
    string RunId,
    string ExperimentId,
    string RunName,
    string UserId,
    RunStatus Status,
    long StartTime,
    long? EndTime,
    string ArtifactUri,
    string LifecycleStage);

/// <summary>One metric point: timestamps are Unix epoch milliseconds; the step defaults to 0.</summary>
public sealed record Metric(string Key, double Value, long Timestamp, long Step);

/// <summary>A run parameter: values are strings, formatted culture-invariant by the caller.</summary>
public sealed record Param(string Key, string Value);

/// <summary>A run tag (mutable: the last write wins).</summary>
public sealed record RunTag(string Key, string Value);

/// <summary>The <c>run.data</c> part: latest value per metric key, params and tags.</summary>
public sealed record RunData(IReadOnlyList<Metric> Metrics, IReadOnlyList<Param> Params, IReadOnlyList<RunTag> Tags)
{
    /// <summary>Params as a dictionary.</summary>
    public IReadOnlyDictionary<string, string> ParamMap => Params.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    /// <summary>Tags as a dictionary.</summary>
    public IReadOnlyDictionary<string, string> TagMap => Tags.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
}

/// <summary>A run: its info and data.</summary>
public sealed record Run(RunInfo Info, RunData Data);

/// <summary>One entry of an artifact listing; <see cref="Path"/> is relative to the run's artifact root.</summary>
public sealed record ArtifactFile(string Path, bool IsDir, long? FileSize);

/// <summary>One page of a search; <see cref="NextPageToken"/> is null on the last page.</summary>
public sealed record PagedList<T>(IReadOnlyList<T> Items, string? NextPageToken);
