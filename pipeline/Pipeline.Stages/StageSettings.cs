namespace Pipeline.Stages;

/// <summary>
/// What one pipeline run was asked to do, as the build (or a test) hands it to the stages.
/// Immutable; build it with an object initializer and derive variants with <c>with</c>.
/// </summary>
public sealed record StageSettings
{
    /// <summary>The repository's root folder: sources in <c>pipeline.yaml</c> resolve inside it.</summary>
    public required string RepositoryRoot { get; init; }

    /// <summary>The config file. Default: <c>pipeline.yaml</c> at the repository root.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>Where outputs go. Default: <c>artifacts/</c> at the repository root.</summary>
    public string? ArtifactsDirectory { get; init; }

    /// <summary>Rerun stages whose inputs did not change.</summary>
    public bool Force { get; init; }

    /// <summary>Fail Ingest on any rejected record instead of keeping it in the rejects file.</summary>
    public bool Strict { get; init; }

    /// <summary>Let Register record a model trained from a working tree with uncommitted changes.</summary>
    public bool AllowDirty { get; init; }

    /// <summary>
    /// A model folder to compare the challenger with instead of the registry's champion
    /// (<c>--baseline DIR</c>): a folder the Train stage wrote (<c>artifacts/train/model</c>) or a
    /// downloaded logged model. Default none: the version behind the <c>champion</c> alias.
    /// </summary>
    public string? BaselineDirectory { get; init; }

    /// <summary>Local folders outside the repository to ingest as well (<c>--source</c>).</summary>
    public IReadOnlyList<string> SourceDirectories { get; init; } = [];

    /// <summary>Config values given on the command line, keyed by their path (<c>train.epochs</c>).</summary>
    public IReadOnlyDictionary<string, string> Overrides { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Where the Train stage reports its steps (the build's console: a live progress bar on a
    /// terminal). Default none: the trainer's log line per N steps is the only progress shown.
    /// </summary>
    public ITrainingProgress? TrainingProgress { get; init; }

    /// <summary>The config file's full path.</summary>
    public string ResolvedConfigPath => Path.GetFullPath(ConfigPath ?? Path.Combine(RepositoryRoot, "pipeline.yaml"), RepositoryRoot);

    /// <summary>The artifacts folder's full path.</summary>
    public string ResolvedArtifactsDirectory => Path.GetFullPath(ArtifactsDirectory ?? Path.Combine(RepositoryRoot, "artifacts"), RepositoryRoot);
}
