using System.Text.RegularExpressions;

namespace Pipeline.Data.Sources;

/// <summary>A small glob matcher: <c>*</c> and <c>?</c> within a segment, <c>**</c> for any depth.</summary>
internal static class Glob
{
    public static IEnumerable<string> Expand(string root, IReadOnlyList<string> segments, bool folders)
    {
        var current = new List<string> { root };
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            var last = i == segments.Count - 1;
            var next = new List<string>();
            foreach (var dir in current)
            {
                if (segment is "." or "..")
                {
                    next.Add(Path.GetFullPath(Path.Combine(dir, segment)));
                }
                else if (segment == "**")
                {
                    next.Add(dir);
                    if (Directory.Exists(dir))
                    {
                        next.AddRange(Directory.EnumerateDirectories(dir, "*", SearchOption.AllDirectories)
                            .Where(d => !Path.GetRelativePath(dir, d).Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.'))));
                    }
                }
                else if (!Directory.Exists(dir))
                {
                    continue;
                }
                else if (!HasWildcard(segment))
                {
                    next.Add(Path.Combine(dir, segment));
                }
                else
                {
                    var regex = ToRegex(segment);
                    var entries = !last ? Directory.EnumerateDirectories(dir) : folders ? Directory.EnumerateFileSystemEntries(dir) : Directory.EnumerateFiles(dir);
                    next.AddRange(entries.Where(e => regex.IsMatch(Path.GetFileName(e))));
                }
            }

            current = next;
        }

        return current.Where(p => File.Exists(p) || (folders && Directory.Exists(p))).Distinct(StringComparer.Ordinal);
    }

    private static bool HasWildcard(string segment) => segment.AsSpan().IndexOfAny('*', '?') >= 0;

    private static Regex ToRegex(string segment) =>
        new("^" + Regex.Escape(segment).Replace(@"\*", "[^/]*", StringComparison.Ordinal).Replace(@"\?", "[^/]", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant);
}
