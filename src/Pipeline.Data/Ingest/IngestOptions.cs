using Pipeline.Data.Sources;

namespace Pipeline.Data.Ingest;

/// <summary>What Ingest reads and where it writes.</summary>
public sealed record IngestOptions
{
    /// <summary>The repository root: source globs resolve inside it.</summary>
    public required string RepositoryRoot { get; init; }

    /// <summary>The sources (<c>data.sources</c>); at least one.</summary>
    public required IReadOnlyList<SourceSpec> Sources { get; init; }

    /// <summary>Folders outside the repository (<c>--source DIR</c>): each source glob also resolves inside each. Default none.</summary>
    public IReadOnlyList<string> ExtraRoots { get; init; } = [];

    /// <summary>Fail on the first reject instead of writing it to <c>rejects.jsonl</c>. Default false.</summary>
    public bool Strict { get; init; }

    /// <summary>The output folder, usually <c>artifacts/ingest</c>.</summary>
    public required string OutputDirectory { get; init; }
}
