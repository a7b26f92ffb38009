using Pipeline.Errors;
using Pipeline.Stages.Lineage;
using Pipeline.Stages.Tests.Support;

namespace Pipeline.Stages.Tests.Lineage;

public sealed class DataCommitWatcherSpecs : IDisposable
{
    private readonly TempGitRepository _repo = new();
    private readonly TempFolder _state = new();
    private readonly ListLogger _log = new();
    private readonly DataCommitWatcher _watcher;

    public DataCommitWatcherSpecs()
    {
        _repo.Write("data/a.jsonl", "{\"text\":\"x\",\"label\":\"a\"}\n");
        _repo.Commit("initial data");
        _watcher = new DataCommitWatcher(_repo.Path, Path.Combine(_state.Path, "watch-state"));
    }

    public void Dispose()
    {
        _repo.Dispose();
        _state.Dispose();
    }

    [Fact]
    public async Task I_can_watch_a_branch_and_the_pipeline_runs_once_per_new_data_commit_in_order()
    {
        // Arrange
        var ran = new List<string>();
        await _watcher.RunPendingAsync("master", (c, _) => { ran.Add(c.Summary); return Task.CompletedTask; }, _log);
        _repo.Write("data/b.jsonl", "{\"text\":\"y\",\"label\":\"b\"}\n");
        var second = _repo.Commit("second data");
        _repo.Write("README.md", "docs\n");
        _repo.Commit("docs only");
        _repo.Write("pipeline.yaml", "train:\n  epochs: 2\n");
        var config = _repo.Commit("config");

        // Act
        var processed = await _watcher.RunPendingAsync("master", (c, _) => { ran.Add(c.Summary); return Task.CompletedTask; }, _log);
        var again = await _watcher.RunPendingAsync("master", (c, _) => { ran.Add(c.Summary); return Task.CompletedTask; }, _log);

        // Assert
        Assert.Equal(["initial data", "second data", "config"], ran);
        Assert.Equal([second, config], processed.Select(c => c.Sha));
        Assert.Empty(again);
        Assert.Equal(config, _watcher.LastProcessed);
        Assert.Contains($"Watch: {second[..7]} second data: running the pipeline", _log.Lines);
        Assert.Contains("Watch: no new commit on master touches the data or config", _log.Lines);
    }

    [Fact]
    public async Task I_can_see_a_failed_run_logged_and_the_watcher_moves_on_instead_of_retrying_forever()
    {
        // Arrange
        _watcher.MarkProcessed(_watcher.FindPending("master")[0].Sha);
        _repo.Write("data/b.jsonl", "bad\n");
        var bad = _repo.Commit("bad data");

        // Act
        await _watcher.RunPendingAsync("master", (_, _) => throw new PipelineException("gate failed: macro_f1 0.41 < 0.80"), _log);

        // Assert
        Assert.Equal(bad, _watcher.LastProcessed);
        Assert.Contains($"Watch: {bad[..7]} failed: gate failed: macro_f1 0.41 < 0.80", _log.Lines);
    }

    [Fact]
    public async Task I_can_restart_after_a_crash_and_the_commit_is_still_pending()
    {
        // Arrange
        _watcher.MarkProcessed(_watcher.FindPending("master")[0].Sha);
        _repo.Write("data/b.jsonl", "{}\n");
        var commit = _repo.Commit("more data");

        // Act
        await Assert.ThrowsAsync<IOException>(() => _watcher.RunPendingAsync("master", (_, _) => throw new IOException("disk full"), _log));

        // Assert
        Assert.Equal([commit], _watcher.FindPending("master").Select(c => c.Sha));
    }

    [Fact]
    public void I_get_an_error_listing_the_branches_if_the_branch_does_not_exist()
    {
        // Act
        var error = Assert.Throws<PipelineException>(() => _watcher.FindPending("mian"));

        // Assert
        Assert.Contains("branch 'mian' does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("master", error.Message, StringComparison.Ordinal);
    }
}
