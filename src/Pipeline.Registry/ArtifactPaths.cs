using Pipeline.Errors;

namespace Pipeline.Registry;

/// <summary>Relative artifact paths: '/'-separated, no '..', no leading '/'.</summary>
internal static class ArtifactPaths
{
    public static string Normalize(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "";
        }

        var parts = path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        if (parts.Any(p => p == "..") || path.StartsWith('/'))
        {
            throw new PipelineException($"Artifact path '{path}' must be relative and must not contain '..'.");
        }

        return string.Join('/', parts);
    }

    public static string Join(string? left, string right)
    {
        var l = Normalize(left);
        var r = Normalize(right);
        return l.Length == 0 ? r : r.Length == 0 ? l : l + "/" + r;
    }

    public static string Escape(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
}
