using Pipeline.IO;

namespace Pipeline.Registry;

public sealed partial class LocalRegistry
{
    /// <summary>The folder holding a run's artifacts: <c>artifacts/&lt;experiment_id&gt;/&lt;run_id&gt;/artifacts</c>.</summary>
    public string RunArtifactDirectory(string experimentId, string runId) => Path.Combine(ArtifactsRoot, experimentId, runId, "artifacts");

    /// <inheritdoc />
    public async Task LogArtifactAsync(string runId, string localPath, string? artifactPath = null, CancellationToken cancellationToken = default)
    {
        var target = await ArtifactFileAsync(runId, ArtifactPaths.Join(artifactPath, Path.GetFileName(localPath)), cancellationToken).ConfigureAwait(false);
        var source = new FileStream(localPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        await using (source.ConfigureAwait(false))
        {
            await AtomicFile.WriteAsync(target, source, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ArtifactFile>> ListArtifactsAsync(string runId, string? path = null, CancellationToken cancellationToken = default)
    {
        var relative = ArtifactPaths.Normalize(path);
        var directory = await ArtifactFileAsync(runId, relative, cancellationToken).ConfigureAwait(false);
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var entries = new DirectoryInfo(directory).EnumerateFileSystemInfos()
            .Where(e => !e.Name.EndsWith(".tmp", StringComparison.Ordinal))
            .OrderBy(e => e.Name, StringComparer.Ordinal)
            .Select(e => e is FileInfo f
                ? new ArtifactFile(ArtifactPaths.Join(relative, f.Name), false, f.Length)
                : new ArtifactFile(ArtifactPaths.Join(relative, e.Name), true, null));
        return entries.ToList();
    }

    /// <inheritdoc />
    public async Task DownloadArtifactAsync(string runId, string artifactPath, string localFile, CancellationToken cancellationToken = default)
    {
        var source = await ArtifactFileAsync(runId, ArtifactPaths.Normalize(artifactPath), cancellationToken).ConfigureAwait(false);
        if (!File.Exists(source))
        {
            throw Fail("artifacts/get", MlflowErrorCodes.ResourceDoesNotExist, $"Artifact '{artifactPath}' of run {runId} does not exist.");
        }

        var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        await using (input.ConfigureAwait(false))
        {
            await AtomicFile.WriteAsync(localFile, input, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string> ArtifactFileAsync(string runId, string relative, CancellationToken cancellationToken)
    {
        var run = await GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        var root = RunArtifactDirectory(run.Info.ExperimentId, runId);
        return relative.Length == 0 ? root : Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar));
    }
}
