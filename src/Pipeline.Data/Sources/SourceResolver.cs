namespace Pipeline.Data.Sources;

/// <summary>
/// Resolves source globs inside the repository root, and inside the <c>--source</c> folders the
/// user names on the command line. A glob with <c>..</c> that leaves its root, an absolute glob,
/// or a match whose real path (symlinks followed) lies outside its root is refused, so a
/// pull request's <c>pipeline.yaml</c> cannot read files elsewhere on the runner.
/// Matches are returned in ordinal order of their relative paths, so runs are deterministic.
/// </summary>
public static class SourceResolver
{
    /// <summary>Resolves every source under the repository root and each extra root.</summary>
    /// <exception cref="SourceAccessException">A glob or a match escapes its root.</exception>
    public static IReadOnlyList<ResolvedFile> Resolve(string repositoryRoot, IReadOnlyList<SourceSpec> sources, IReadOnlyList<string> extraRoots)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(extraRoots);
        var roots = new List<string> { repositoryRoot };
        foreach (var extra in extraRoots)
        {
            if (!Directory.Exists(extra))
            {
                throw new SourceAccessException($"--source '{extra}' is not a folder. Pass an existing folder with the files to ingest.");
            }

            roots.Add(extra);
        }

        var result = new List<ResolvedFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var spec in sources)
        {
            foreach (var root in roots)
            {
                foreach (var match in Match(root, spec))
                {
                    if (seen.Add(match.FullPath))
                    {
                        result.Add(match);
                    }
                }
            }
        }

        return result;
    }

    /// <summary>The matches of one source under one root, sorted.</summary>
    public static IReadOnlyList<ResolvedFile> Match(string root, SourceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var rootFull = Path.GetFullPath(root);
        var realRoot = RealPath.Of(rootFull);
        var pattern = spec.Path.Replace('\\', '/');
        if (Path.IsPathRooted(pattern))
        {
            throw new SourceAccessException($"Source '{spec.Path}': absolute paths are not allowed in pipeline.yaml; write a path relative to the repository root, or pass the folder with --source.");
        }

        var segments = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var depth = 0;
        foreach (var segment in segments)
        {
            depth += segment switch { ".." => -1, "." => 0, _ => 1 };
            if (depth < 0)
            {
                throw new SourceAccessException($"Source '{spec.Path}' leaves the repository through '..'. Sources must stay inside the repository; pass outside folders with --source.");
            }
        }

        // Folder layouts name folders; so does an auto source whose last segment is a plain name (data/images).
        var wantFolders = spec.Format is SourceFormat.Folder or SourceFormat.Email or SourceFormat.ImageFolder
            || (spec.Format == SourceFormat.Auto && segments.Length > 0 && segments[^1].IndexOfAny(['*', '?']) < 0);
        var matches = Glob.Expand(rootFull, segments, wantFolders)
            .Select(full => (Full: full, Relative: Path.GetRelativePath(rootFull, full).Replace('\\', '/')))
            .OrderBy(m => m.Relative, StringComparer.Ordinal)
            .ToList();
        var result = new List<ResolvedFile>(matches.Count);
        foreach (var (full, relative) in matches)
        {
            var real = RealPath.Of(full);
            if (!RealPath.IsInside(real, realRoot))
            {
                throw new SourceAccessException($"Source '{spec.Path}' matched '{relative}', which resolves to '{real}' outside '{rootFull}' (a symlink). Sources must stay inside the repository; pass outside folders with --source.");
            }

            result.Add(new ResolvedFile(full, relative, spec));
        }

        return result;
    }
}
