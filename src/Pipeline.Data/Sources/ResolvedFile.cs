namespace Pipeline.Data.Sources;

/// <summary>A file (or, for folder layouts, a folder) a source resolved to.</summary>
/// <param name="FullPath">Its full path.</param>
/// <param name="DisplayPath">Its path relative to its root, with <c>/</c>, as rejects and reports name it.</param>
/// <param name="Spec">The source that matched it.</param>
public sealed record ResolvedFile(string FullPath, string DisplayPath, SourceSpec Spec);
