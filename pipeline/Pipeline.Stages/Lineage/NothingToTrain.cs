using LibGit2Sharp;
using Pipeline.Errors;

namespace Pipeline.Stages.Lineage;

/// <summary>
/// The early stop of <c>./build.sh Train</c>: when neither the data, nor <c>pipeline.yaml</c>, nor
/// the code changed since the commit that produced the champion, training again would only
/// reproduce it. Uncommitted changes in those paths count as changes. <c>--force</c> is the
/// caller's business: it simply does not ask.
/// </summary>
public static class NothingToTrain
{
    /// <summary>Compares the champion's commit with <paramref name="currentCommit"/> (default HEAD) and the working tree.</summary>
    /// <param name="path">Any path inside the repository.</param>
    /// <param name="championCommit">The commit recorded in the champion's lineage (full or short id).</param>
    /// <param name="championVersion">The champion's registered version: <c>3</c> or <c>v3</c>.</param>
    /// <param name="currentCommit">The commit being built; HEAD when null.</param>
    /// <param name="options">Which paths are data, config and code.</param>
    /// <exception cref="PipelineException">A commit is not in the repository.</exception>
    public static TrainDecision Check(string path, string championCommit, string championVersion, string? currentCommit = null, LineageOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(championVersion);
        options ??= new LineageOptions();
        using var repo = GitLineage.Open(path);
        Commit champion;
        try
        {
            champion = GitDataDiff.Resolve(repo, championCommit);
        }
        catch (PipelineException ex)
        {
            return new TrainDecision(true, $"training: the champion's commit {championCommit} is not in this clone, so changes since it are unknown ({ex.Message})", []);
        }

        var current = GitDataDiff.Resolve(repo, currentCommit ?? "HEAD");
        var watched = options.DataPaths.Concat(options.ConfigPaths).Concat(options.CodePaths).Select(p => p.TrimEnd('/')).ToList();
        var changed = repo.Diff.Compare<TreeChanges>(champion.Tree, current.Tree, watched)
            .SelectMany(c => new[] { c.Path, c.OldPath })
            .Where(p => GitLineage.IsUnder(p, watched))
            .ToHashSet(StringComparer.Ordinal);

        if (currentCommit is null || current.Sha == repo.Head.Tip?.Sha)
        {
            changed.UnionWith(repo.RetrieveStatus(new StatusOptions { IncludeUntracked = true, RecurseUntrackedDirs = true })
                .Where(e => e.State != FileStatus.Unaltered && e.State != FileStatus.Ignored)
                .Select(e => e.FilePath.Replace('\\', '/'))
                .Where(p => GitLineage.IsUnder(p, watched)));
        }

        var version = championVersion.StartsWith('v') ? championVersion : "v" + championVersion;
        var shortId = champion.Sha[..7];
        if (changed.Count == 0)
        {
            return new TrainDecision(false, $"nothing to train: data and config unchanged since champion {version} (commit {shortId})", []);
        }

        var paths = changed.Order(StringComparer.Ordinal).ToList();
        var areas = new List<string>();
        if (paths.Any(p => GitLineage.IsUnder(p, options.DataPaths)))
        {
            areas.Add("data");
        }

        if (paths.Any(p => GitLineage.IsUnder(p, options.ConfigPaths)))
        {
            areas.Add("config");
        }

        if (paths.Any(p => GitLineage.IsUnder(p, options.CodePaths)))
        {
            areas.Add("code");
        }

        return new TrainDecision(true, $"training: {string.Join(", ", areas)} changed since champion {version} (commit {shortId})", paths);
    }
}
