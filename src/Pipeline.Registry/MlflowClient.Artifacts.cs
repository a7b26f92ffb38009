using System.Collections.Concurrent;
using Pipeline.Errors;
using Pipeline.IO;

namespace Pipeline.Registry;

public sealed partial class MlflowClient
{
    private readonly ConcurrentDictionary<string, string> _artifactRoots = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public async Task LogArtifactAsync(string runId, string localPath, string? artifactPath = null, CancellationToken cancellationToken = default)
    {
        var root = await ArtifactRootAsync(runId, cancellationToken).ConfigureAwait(false);
        var target = ArtifactPaths.Join(artifactPath, Path.GetFileName(localPath));
        var url = ArtifactsPrefix + "/" + ArtifactPaths.Escape(root + "/" + target);
        using var response = await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Put, url)
            {
                // A fresh stream per attempt: the file is streamed, never held in memory.
                Content = new StreamContent(new FileStream(localPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true)),
            },
            "PUT /" + ArtifactsPrefix + "/" + root + "/" + target,
            retry: true,
            HttpCompletionOption.ResponseContentRead,
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ArtifactFile>> ListArtifactsAsync(string runId, string? path = null, CancellationToken cancellationToken = default)
    {
        var root = await ArtifactRootAsync(runId, cancellationToken).ConfigureAwait(false);
        var relative = ArtifactPaths.Normalize(path);
        var full = relative.Length == 0 ? root : root + "/" + relative;
        var url = ArtifactsPrefix + "?path=" + Uri.EscapeDataString(full);
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), "GET /" + ArtifactsPrefix + "?path=" + full,
            retry: true, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        using var doc = System.Text.Json.JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "{}" : text);

        // The proxy answers with base names; report run-relative paths, as MLflow's list_artifacts does.
        return MlflowJson.Array(doc.RootElement, "files")
            .Select(f => new ArtifactFile(ArtifactPaths.Join(relative, MlflowJson.Str(f, "path")),
                f.TryGetProperty("is_dir", out var d) && d.ValueKind == System.Text.Json.JsonValueKind.True, MlflowJson.Long(f, "file_size")))
            .ToList();
    }

    /// <inheritdoc />
    public async Task DownloadArtifactAsync(string runId, string artifactPath, string localFile, CancellationToken cancellationToken = default)
    {
        var root = await ArtifactRootAsync(runId, cancellationToken).ConfigureAwait(false);
        var relative = ArtifactPaths.Normalize(artifactPath);
        var url = ArtifactsPrefix + "/" + ArtifactPaths.Escape(root + "/" + relative);
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), "GET /" + ArtifactsPrefix + "/" + root + "/" + relative,
            retry: true, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var source = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            await AtomicFile.WriteAsync(localFile, source, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string> ArtifactRootAsync(string runId, CancellationToken cancellationToken)
    {
        if (_artifactRoots.TryGetValue(runId, out var cached))
        {
            return cached;
        }

        var uri = (await GetRunAsync(runId, cancellationToken).ConfigureAwait(false)).Info.ArtifactUri;
        const string Scheme = "mlflow-artifacts:";
        if (!uri.StartsWith(Scheme, StringComparison.Ordinal))
        {
            throw new PipelineException(
                $"Run {runId} stores artifacts at '{uri}', outside the server's artifact proxy. Only 'mlflow-artifacts:' locations are supported: "
                + "start the server with --serve-artifacts (the default) and use an experiment created after that.");
        }

        var rest = uri[Scheme.Length..];
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            // mlflow-artifacts://host:port/path: the path after the authority.
            var slash = rest.IndexOf('/', 2);
            rest = slash < 0 ? "" : rest[slash..];
        }

        var root = rest.Trim('/');
        _artifactRoots[runId] = root;
        return root;
    }
}
