namespace Pipeline.Stages.Lineage;

/// <summary>Remote URLs safe to log and record: user names and tokens removed.</summary>
public static class RemoteUrls
{
    /// <summary>
    /// <c>https://x-access-token:ghp_…@github.com/o/r.git</c> becomes <c>https://github.com/o/r.git</c>.
    /// scp-like URLs (<c>git@github.com:o/r.git</c>) carry no secret and are kept.
    /// </summary>
    public static string StripCredentials(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return url;
        }

        var hostStart = scheme + 3;
        var pathStart = url.IndexOf('/', hostStart);
        var authorityEnd = pathStart < 0 ? url.Length : pathStart;
        var at = url.LastIndexOf('@', authorityEnd - 1, authorityEnd - hostStart);
        return at < 0 ? url : url[..hostStart] + url[(at + 1)..];
    }
}
