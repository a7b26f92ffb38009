namespace Pipeline.Stages.Lineage;

/// <summary>Which paths of the repository are data, config and code. Immutable.</summary>
public sealed record LineageOptions
{
    /// <summary>Folders (or files) holding the data sources, relative to the repository root. Default: <c>data</c>.</summary>
    public IReadOnlyList<string> DataPaths { get; init; } = ["data"];

    /// <summary>The pipeline's config files. Default: <c>pipeline.yaml</c>.</summary>
    public IReadOnlyList<string> ConfigPaths { get; init; } = ["pipeline.yaml"];

    /// <summary>
    /// What counts as code for "nothing to train": a change here means a new model could differ.
    /// Default: <c>src</c>, <c>pipeline</c>, <c>build</c> and the files that pin packages and the SDK.
    /// Docs, workflows and tests are not code in this sense.
    /// </summary>
    public IReadOnlyList<string> CodePaths { get; init; } =
        ["src", "pipeline", "build", "Directory.Build.props", "Directory.Packages.props", "global.json"];

    /// <summary>
    /// Files the pipeline itself writes into the working tree. Their uncommitted changes do not
    /// make the tree dirty: a run that updates <c>pipeline.lock</c> must still be able to register.
    /// Default: <c>pipeline.lock</c>, and <c>.nuke/build.schema.json</c>, which the build regenerates
    /// from its parameters on every run.
    /// </summary>
    public IReadOnlyList<string> PipelineOutputPaths { get; init; } = ["pipeline.lock", ".nuke/build.schema.json"];

    /// <summary>Fields holding a row's label in JSONL files or CSV/TSV headers; the first one present wins. Default: <c>label</c>, <c>intent</c>.</summary>
    public IReadOnlyList<string> LabelFields { get; init; } = ["label", "intent"];

    /// <summary>Reads environment variables (the branch of a detached CI checkout). Default: the process environment.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>The folder part of each glob (<c>data/labeled/*.jsonl</c> gives <c>data/labeled</c>), for <see cref="DataPaths"/>.</summary>
    public static IReadOnlyList<string> FoldersOf(IEnumerable<string> globs)
    {
        ArgumentNullException.ThrowIfNull(globs);
        return globs
            .Select(glob => glob.Replace('\\', '/'))
            .Select(glob =>
            {
                var parts = glob.Split('/');
                var fixedParts = parts.TakeWhile(p => p.IndexOfAny(['*', '?', '[', '{']) < 0).ToList();
                return fixedParts.Count == parts.Length ? glob : string.Join('/', fixedParts);
            })
            .Select(path => path.TrimEnd('/'))
            .Select(path => path.Length == 0 ? "." : path)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }
}
