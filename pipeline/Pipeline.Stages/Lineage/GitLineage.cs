using System.Text;
using LibGit2Sharp;
using Pipeline.Errors;
using Pipeline.Stages.Incremental;

namespace Pipeline.Stages.Lineage;

/// <summary>Reads a run's lineage from the Git repository around a working tree.</summary>
public static class GitLineage
{
    /// <summary>Commit, branch, remote, dirty state and data fingerprint of the repository containing <paramref name="path"/>.</summary>
    /// <exception cref="PipelineException">No Git repository contains the path, or it has no commit yet.</exception>
    public static async Task<GitContext> ReadAsync(string path, LineageOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LineageOptions();
        using var repo = Open(path);
        var head = repo.Head.Tip ?? throw new PipelineException(
            $"{repo.Info.WorkingDirectory}: the repository has no commit yet. Commit the data and pipeline.yaml first: a run's lineage is a commit.");

        var dirtyPaths = DirtyPaths(repo).Where(p => !IsUnder(p, options.PipelineOutputPaths)).ToList();
        var dirtyDataOrConfig = dirtyPaths.Any(p => IsUnder(p, options.DataPaths) || IsUnder(p, options.ConfigPaths));
        var dataFingerprint = await FingerprintAsync(repo, head, options.DataPaths, dirtyPaths, cancellationToken).ConfigureAwait(false);
        var codeFingerprint = await FingerprintAsync(repo, head, options.CodePaths, dirtyPaths, cancellationToken).ConfigureAwait(false);

        return new GitContext(
            head.Sha,
            BranchOf(repo, options),
            RemoteUrlOf(repo),
            dirtyPaths.Count > 0,
            dirtyDataOrConfig,
            dirtyPaths,
            dataFingerprint)
        {
            CodeFingerprint = codeFingerprint,
        };
    }

    /// <summary>Opens the repository containing <paramref name="path"/>; dispose it.</summary>
    /// <exception cref="PipelineException">No repository contains the path.</exception>
    internal static Repository Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var gitDir = Repository.Discover(Path.GetFullPath(path));
        return gitDir is null
            ? throw new PipelineException($"{Path.GetFullPath(path)} is not inside a Git repository: lineage needs one. Run 'git init' and commit the data, or run from the repository.")
            : new Repository(gitDir);
    }

    /// <summary>Whether a repository-relative path lies in (or is) one of <paramref name="roots"/>.</summary>
    internal static bool IsUnder(string path, IEnumerable<string> roots) =>
        roots.Any(root =>
        {
            var r = root.Replace('\\', '/').TrimEnd('/');
            return r is "." or "" || path == r || path.StartsWith(r + "/", StringComparison.Ordinal);
        });

    private static List<string> DirtyPaths(Repository repo) =>
        repo.RetrieveStatus(new StatusOptions { IncludeUntracked = true, RecurseUntrackedDirs = true, IncludeIgnored = false })
            .Where(e => e.State != FileStatus.Unaltered && e.State != FileStatus.Ignored)
            .Select(e => e.FilePath.Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static string? BranchOf(Repository repo, LineageOptions options)
    {
        if (!repo.Info.IsHeadDetached)
        {
            return repo.Head.FriendlyName;
        }

        // actions/checkout detaches HEAD: GITHUB_HEAD_REF names a PR's branch, GITHUB_REF_NAME a push's.
        var fromCi = options.Environment("GITHUB_HEAD_REF");
        if (string.IsNullOrEmpty(fromCi))
        {
            fromCi = options.Environment("GITHUB_REF_NAME");
        }

        return string.IsNullOrEmpty(fromCi) ? null : fromCi;
    }

    private static string? RemoteUrlOf(Repository repo)
    {
        var remote = repo.Network.Remotes["origin"] ?? repo.Network.Remotes.FirstOrDefault();
        return remote?.Url is { } url ? RemoteUrls.StripCredentials(url) : null;
    }

    /// <summary>The data paths' Git tree (or blob) ids at <paramref name="commit"/>: one id for one path, else a hash of them all.</summary>
    internal static string TreeFingerprint(Commit commit, IReadOnlyList<string> dataPaths)
    {
        var ids = dataPaths
            .Select(p => p.Replace('\\', '/').TrimEnd('/'))
            .Order(StringComparer.Ordinal)
            .Select(p => (Path: p, Id: p is "." or "" ? commit.Tree.Sha : commit[p]?.Target.Sha ?? "absent"))
            .ToList();
        if (ids.Count == 1)
        {
            return ids[0].Id;
        }

        var text = new StringBuilder();
        foreach (var (path, id) in ids)
        {
            text.Append(path).Append('\0').Append(id).Append('\n');
        }

        return FileHasher.HashText(text.ToString());
    }

    /// <summary>
    /// <c>git-tree:ID</c> when nothing under <paramref name="paths"/> is uncommitted; otherwise
    /// <c>content:XXH128</c> over the committed tree ids plus each uncommitted file's path and
    /// content hash (or <c>deleted</c>), so only the changed files are read, never the whole folder.
    /// Ignored files (bin/, obj/, artifacts/) never count.
    /// </summary>
    private static async Task<string> FingerprintAsync(
        Repository repo, Commit head, IReadOnlyList<string> paths, List<string> dirtyPaths, CancellationToken cancellationToken)
    {
        var tree = TreeFingerprint(head, paths);
        var dirty = dirtyPaths.Where(p => IsUnder(p, paths)).ToList();
        if (dirty.Count == 0)
        {
            return "git-tree:" + tree;
        }

        var hasher = new FileHasher(cachePath: null);
        var text = new StringBuilder(tree).Append('\n');
        foreach (var path in dirty)
        {
            var full = Path.Combine(repo.Info.WorkingDirectory, path);
            var hash = File.Exists(full) ? await hasher.HashFileAsync(full, cancellationToken).ConfigureAwait(false) : "deleted";
            text.Append(path).Append('\0').Append(hash).Append('\n');
        }

        return "content:" + FileHasher.HashText(text.ToString());
    }
}
