namespace Pipeline.Data.Sources;

/// <summary>Resolves symlinks in every component of a path (like POSIX <c>realpath</c>).</summary>
internal static class RealPath
{
    private const int MaxLinks = 40;

    public static string Of(string path)
    {
        var links = 0;
        return Resolve(Path.GetFullPath(path), ref links);
    }

    public static bool IsInside(string path, string root)
    {
        var trimmed = Path.TrimEndingDirectorySeparator(root);
        return path.Equals(trimmed, StringComparison.Ordinal)
            || path.StartsWith(trimmed + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    private static string Resolve(string full, ref int links)
    {
        var root = Path.GetPathRoot(full)!;
        var current = root;
        var parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        foreach (var part in parts)
        {
            var next = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.Exists && info.LinkTarget is { } target)
            {
                if (++links > MaxLinks)
                {
                    throw new SourceAccessException($"Too many symlinks while resolving '{full}'.");
                }

                next = Resolve(Path.GetFullPath(target, current), ref links);
            }

            current = next;
        }

        return current;
    }
}
