using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Pipeline.IO;

namespace Pipeline.Stages.Incremental;

/// <summary>
/// One pipeline run at a time per working tree. The run holds an OS lock on
/// <c>artifacts/.run.lock.os</c> (opened with <see cref="FileShare.None"/>: <c>flock</c> on Unix,
/// a sharing lock on Windows) for its whole life, so of two racing processes exactly one wins,
/// and the OS frees it when the process dies however it dies. Who holds it is written to
/// <c>artifacts/.run.lock</c> (pid, start, host, boot id, command) for the message the second
/// run prints. Finding that file with the OS lock free means a run was killed: the lock is
/// reported as stale and taken over. Dispose to release.
/// </summary>
public sealed class RunLock : IDisposable
{
    /// <summary>The metadata file's name under the artifacts folder.</summary>
    public const string FileName = ".run.lock";

    private readonly FileStream _handle;
    private readonly string _infoPath;
    private bool _disposed;

    private RunLock(FileStream handle, string infoPath, RunLockInfo info)
    {
        _handle = handle;
        _infoPath = infoPath;
        Info = info;
    }

    /// <summary>This run's entry in the lock file.</summary>
    public RunLockInfo Info { get; }

    /// <summary>Why an earlier lock was taken over (it was stale), or null when there was none.</summary>
    public string? TookOver { get; private init; }

    /// <summary>Takes the run lock of the working tree whose artifacts folder is <paramref name="artifactsDirectory"/>.</summary>
    /// <param name="artifactsDirectory">The artifacts folder (created if missing).</param>
    /// <param name="command">What this run is, for the other run's message (<c>./build.sh Train</c>).</param>
    /// <param name="logger">Where a stale lock's takeover is reported.</param>
    /// <exception cref="RunInProgressException">Another run holds the lock; the message names its pid, start and command.</exception>
    public static RunLock Acquire(string artifactsDirectory, string command, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(artifactsDirectory);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(logger);
        Directory.CreateDirectory(artifactsDirectory);
        var infoPath = Path.Combine(artifactsDirectory, FileName);
        var handlePath = infoPath + ".os";
        FileStream handle;
        try
        {
            handle = new FileStream(handlePath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
        }
        catch (IOException ex)
        {
            var holder = ReadInfo(infoPath);
            var who = holder is null
                ? "its details are not written yet"
                : $"pid {holder.Pid}, started {holder.StartedText}, {holder.Command}{(holder.Host == Environment.MachineName ? "" : $", on {holder.Host}")}";
            throw new RunInProgressException($"another pipeline run is in progress ({who}); wait for it or stop it", ex) { Holder = holder };
        }

        string? tookOver = null;
        var stale = ReadInfo(infoPath);
        if (stale is not null)
        {
            tookOver = $"pid {stale.Pid}, started {stale.StartedText}, {stale.Command}: {WhyStale(stale)}";
            logger.LogWarning("Taking over a stale run lock ({Previous}). Outputs it was writing are checked against pipeline.lock and rebuilt if needed.", tookOver);
        }

        var info = RunLockInfo.Current(command);
        try
        {
            AtomicFile.WriteAllText(infoPath, info.Render());
        }
        catch
        {
            handle.Dispose();
            throw;
        }

        return new RunLock(handle, infoPath, info) { TookOver = tookOver };
    }

    /// <summary>Removes this run's metadata and releases the OS lock.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            // The .os file stays: deleting it would let a process that opened it just before
            // the delete lock the orphaned file while a third one locks a new file by that name.
            File.Delete(_infoPath);
        }
        catch (IOException)
        {
            // Left behind, the next run sees the OS lock free and takes the file over.
        }
        catch (UnauthorizedAccessException)
        {
        }
        finally
        {
            _handle.Dispose();
        }
    }

    private static RunLockInfo? ReadInfo(string path)
    {
        try
        {
            return File.Exists(path) ? RunLockInfo.Parse(File.ReadAllText(path)) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string WhyStale(RunLockInfo stale)
    {
        if (!string.Equals(stale.Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase))
        {
            return $"it was started on {stale.Host} and no process holds the lock";
        }

        var bootId = RunLockInfo.CurrentBootId();
        if (stale.BootId.Length > 0 && bootId.Length > 0 && stale.BootId != bootId)
        {
            return "it was started before the machine rebooted";
        }

        return IsAlive(stale.Pid)
            ? $"pid {stale.Pid} runs but no longer holds the lock (a different process reusing the pid)"
            : $"pid {stale.Pid} is no longer running";
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
