namespace Pipeline.Stages.Incremental;

/// <summary>How <see cref="IncrementalRunner"/> decides and records. Immutable.</summary>
public sealed record IncrementalOptions
{
    /// <summary>Stages to rerun even when up to date (<c>--force-stage Train</c>); case-insensitive. Default: none.</summary>
    public IReadOnlySet<string> ForceStages { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The lock file. Default: <c>pipeline.lock</c> at the repository root.</summary>
    public string? LockFilePath { get; init; }

    /// <summary>The stat cache. Default: <c>.cache/file-hashes.json</c> under the artifacts folder.</summary>
    public string? StatCachePath { get; init; }
}
