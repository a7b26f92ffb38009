using LibGit2Sharp;
using Microsoft.Extensions.Logging;
using Pipeline.Errors;
using Pipeline.IO;

namespace Pipeline.Stages.Lineage;

/// <summary>A commit the watcher will run the pipeline for.</summary>
/// <param name="Sha">The full commit id.</param>
/// <param name="Summary">The first line of its message.</param>
public sealed record PendingCommit(string Sha, string Summary)
{
    /// <summary>The first seven digits of <see cref="Sha"/>.</summary>
    public string ShortSha => Sha[..Math.Min(7, Sha.Length)];
}

/// <summary>
/// The local trigger for teams without GitHub (<c>./build.sh Watch --branch main</c>, or a
/// <c>post-receive</c> hook): finds the commits on a branch since the last one processed that
/// touch the data or config, oldest first, and hands them one at a time to the pipeline. The
/// last processed commit is kept in a state file, so a restarted watcher continues where it stopped.
/// </summary>
public sealed class DataCommitWatcher
{
    private readonly string _repositoryPath;
    private readonly string _statePath;
    private readonly LineageOptions _options;

    /// <summary>Watches the repository containing <paramref name="repositoryPath"/>; state goes to <paramref name="statePath"/>.</summary>
    public DataCommitWatcher(string repositoryPath, string statePath, LineageOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(repositoryPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(statePath);
        _repositoryPath = repositoryPath;
        _statePath = statePath;
        _options = options ?? new LineageOptions();
    }

    /// <summary>The last commit processed, or null before the first.</summary>
    public string? LastProcessed => File.Exists(_statePath) ? File.ReadAllText(_statePath).Trim() is { Length: > 0 } sha ? sha : null : null;

    /// <summary>
    /// Commits reachable from <paramref name="branch"/> (<c>main</c>, <c>origin/main</c>) and not
    /// from the last processed one, oldest first, keeping those that change the data or config
    /// paths compared with their first parent. On the very first call only the tip is pending.
    /// </summary>
    /// <exception cref="PipelineException">The branch does not exist.</exception>
    public IReadOnlyList<PendingCommit> FindPending(string branch)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(branch);
        using var repo = GitLineage.Open(_repositoryPath);
        var tip = repo.Branches[branch]?.Tip ?? throw new PipelineException(
            $"branch '{branch}' does not exist in {repo.Info.WorkingDirectory}. Branches: {string.Join(", ", repo.Branches.Select(b => b.FriendlyName))}.");
        var last = LastProcessed is { } sha ? repo.Lookup<Commit>(sha) : null;
        if (last is null)
        {
            return [new PendingCommit(tip.Sha, tip.MessageShort)];
        }

        var watched = _options.DataPaths.Concat(_options.ConfigPaths).Select(p => p.TrimEnd('/')).ToList();
        var filter = new CommitFilter
        {
            IncludeReachableFrom = tip,
            ExcludeReachableFrom = last,
            SortBy = CommitSortStrategies.Topological | CommitSortStrategies.Reverse,
        };
        return repo.Commits.QueryBy(filter)
            .Where(c => TouchesData(repo, c, watched))
            .Select(c => new PendingCommit(c.Sha, c.MessageShort))
            .ToList();
    }

    /// <summary>Records <paramref name="sha"/> as processed (atomically).</summary>
    public void MarkProcessed(string sha)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sha);
        AtomicFile.WriteAllText(_statePath, sha + "\n");
    }

    /// <summary>
    /// Runs <paramref name="runPipeline"/> for each pending commit, one at a time, logging each.
    /// A run that fails with a <see cref="PipelineException"/> (a failed gate, bad data) is logged
    /// and the commit counts as processed, so a bad commit is not retried forever; any other
    /// exception stops the watcher with the commit still pending. Returns the commits processed.
    /// </summary>
    public async Task<IReadOnlyList<PendingCommit>> RunPendingAsync(
        string branch, Func<PendingCommit, CancellationToken, Task> runPipeline, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runPipeline);
        ArgumentNullException.ThrowIfNull(logger);
        var pending = FindPending(branch);
        if (pending.Count == 0)
        {
            logger.LogInformation("Watch: no new commit on {Branch} touches the data or config", branch);
        }

        foreach (var commit in pending)
        {
            cancellationToken.ThrowIfCancellationRequested();
            logger.LogInformation("Watch: {Sha} {Summary}: running the pipeline", commit.ShortSha, commit.Summary);
            try
            {
                await runPipeline(commit, cancellationToken).ConfigureAwait(false);
                logger.LogInformation("Watch: {Sha} done", commit.ShortSha);
            }
            catch (PipelineException ex)
            {
                logger.LogError("Watch: {Sha} failed: {Message}", commit.ShortSha, ex.Message);
            }

            MarkProcessed(commit.Sha);
        }

        return pending;
    }

    /// <summary>Polls every <paramref name="interval"/> until cancelled, running the pipeline for new data commits.</summary>
    public async Task WatchAsync(
        string branch, TimeSpan interval, Func<PendingCommit, CancellationToken, Task> runPipeline, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        while (!cancellationToken.IsCancellationRequested)
        {
            await RunPendingAsync(branch, runPipeline, logger, cancellationToken).ConfigureAwait(false);
            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool TouchesData(Repository repo, Commit commit, List<string> watched)
    {
        var parent = commit.Parents.FirstOrDefault();
        return repo.Diff.Compare<TreeChanges>(parent?.Tree, commit.Tree, watched)
            .Any(c => GitLineage.IsUnder(c.Path, watched) || GitLineage.IsUnder(c.OldPath, watched));
    }
}
