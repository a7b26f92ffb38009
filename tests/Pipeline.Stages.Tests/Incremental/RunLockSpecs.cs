using Pipeline.Stages.Incremental;
using Pipeline.Stages.Tests.Support;

namespace Pipeline.Stages.Tests.Incremental;

public sealed class RunLockSpecs : IDisposable
{
    private readonly TempFolder _artifacts = new();
    private readonly ListLogger _log = new();

    public void Dispose() => _artifacts.Dispose();

    [Fact]
    public void I_get_an_error_naming_the_first_run_if_i_start_a_second_run_in_the_same_working_tree()
    {
        // Arrange
        using var first = RunLock.Acquire(_artifacts.Path, "./build.sh Train", _log);

        // Act
        var error = Assert.Throws<RunInProgressException>(() => RunLock.Acquire(_artifacts.Path, "./build.sh Evaluate", _log));

        // Assert
        Assert.Equal(
            $"another pipeline run is in progress (pid {Environment.ProcessId}, started {first.Info.StartedText}, ./build.sh Train); wait for it or stop it",
            error.Message);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$", first.Info.StartedText);
        Assert.Equal(Environment.ProcessId, error.Holder!.Pid);
    }

    [Fact]
    public void I_can_run_again_once_the_first_run_released_the_lock_and_nothing_is_reported_as_stale()
    {
        // Arrange
        RunLock.Acquire(_artifacts.Path, "./build.sh Train", _log).Dispose();

        // Act
        using var second = RunLock.Acquire(_artifacts.Path, "./build.sh Train", _log);

        // Assert
        Assert.Null(second.TookOver);
        Assert.Empty(_log.Lines);
        Assert.Contains("command: ./build.sh Train", File.ReadAllText(Path.Combine(_artifacts.Path, RunLock.FileName)), StringComparison.Ordinal);
    }

    [Fact]
    public void I_can_start_a_run_after_a_killed_one_and_its_stale_lock_is_reported_and_taken_over()
    {
        // Arrange: the metadata a killed run leaves behind; the OS freed its lock when it died.
        var deadPid = FindDeadPid();
        var killed = new RunLockInfo(deadPid, new DateTimeOffset(2026, 11, 29, 14, 5, 12, TimeSpan.Zero), Environment.MachineName, RunLockInfo.CurrentBootId(), "./build.sh Train");
        _artifacts.Write(RunLock.FileName, killed.Render());

        // Act
        using var run = RunLock.Acquire(_artifacts.Path, "./build.sh Train --force", _log);

        // Assert
        Assert.Equal($"pid {deadPid}, started 2026-11-29 14:05:12Z, ./build.sh Train: pid {deadPid} is no longer running", run.TookOver);
        Assert.Contains(_log.Lines, line => line.Contains("stale run lock", StringComparison.Ordinal) && line.Contains($"pid {deadPid}", StringComparison.Ordinal));
        Assert.Equal(Environment.ProcessId, RunLockInfo.Parse(File.ReadAllText(Path.Combine(_artifacts.Path, RunLock.FileName)))!.Pid);
    }

    [Fact]
    public void I_can_take_over_a_lock_left_before_a_reboot_even_if_its_pid_is_alive_now()
    {
        // Arrange: our own pid is alive, but the boot id says it belongs to another boot.
        var beforeReboot = new RunLockInfo(Environment.ProcessId, DateTimeOffset.UtcNow.AddDays(-1), Environment.MachineName, "another-boot", "./build.sh Train");
        _artifacts.Write(RunLock.FileName, beforeReboot.Render());

        // Act
        using var run = RunLock.Acquire(_artifacts.Path, "./build.sh Train", _log);

        // Assert
        var expected = RunLockInfo.CurrentBootId().Length > 0 ? "before the machine rebooted" : "no longer holds the lock";
        Assert.Contains(expected, run.TookOver, StringComparison.Ordinal);
    }

    [Fact]
    public async Task I_can_race_many_runs_for_the_lock_and_exactly_one_wins()
    {
        // Arrange
        using var start = new ManualResetEventSlim();

        // Act
        var attempts = Enumerable.Range(0, 8).Select(i => Task.Run(() =>
        {
            start.Wait();
            try
            {
                return RunLock.Acquire(_artifacts.Path, $"run {i}", _log);
            }
            catch (RunInProgressException)
            {
                return null;
            }
        })).ToList();
        start.Set();
        var locks = await Task.WhenAll(attempts);

        // Assert
        Assert.Single(locks, l => l is not null);
        foreach (var held in locks)
        {
            held?.Dispose();
        }
    }

    [Fact]
    public async Task I_can_see_the_lock_from_another_process_so_two_processes_cannot_both_run()
    {
        // Arrange: flock(1) takes the same kind of lock as .NET's FileShare.None on Unix.
        if (OperatingSystem.IsWindows() || !File.Exists("/usr/bin/flock"))
        {
            return;
        }

        var osLock = Path.Combine(_artifacts.Path, RunLock.FileName + ".os");

        // Act
        int whileHeld;
        using (RunLock.Acquire(_artifacts.Path, "./build.sh Train", _log))
        {
            whileHeld = await RunFlockAsync(osLock);
        }

        var afterRelease = await RunFlockAsync(osLock);

        // Assert
        Assert.Equal(1, whileHeld);
        Assert.Equal(0, afterRelease);
    }

    private static async Task<int> RunFlockAsync(string path)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/usr/bin/flock", ["--nonblock", path, "true"]))!;
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    private static int FindDeadPid()
    {
        for (var pid = 4_000_000; ; pid--)
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
            }
            catch (ArgumentException)
            {
                return pid;
            }
        }
    }
}
