using System.Globalization;

namespace Pipeline.Stages.Incremental;

/// <summary>Who holds a run lock: written to <c>artifacts/.run.lock</c> as <c>key: value</c> lines.</summary>
/// <param name="Pid">The process id.</param>
/// <param name="StartedAt">When the run started, UTC.</param>
/// <param name="Host">The machine's name.</param>
/// <param name="BootId">The kernel's boot id (Linux), empty elsewhere: a pid from before a reboot means nothing.</param>
/// <param name="Command">What was run, e.g. <c>./build.sh Train</c>.</param>
public sealed record RunLockInfo(int Pid, DateTimeOffset StartedAt, string Host, string BootId, string Command)
{
    /// <summary>The start time as the messages show it: <c>2026-11-29 14:05:12Z</c>.</summary>
    public string StartedText => StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The file's text.</summary>
    public string Render() =>
        string.Create(CultureInfo.InvariantCulture, $"pid: {Pid}\nstarted: {StartedAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}\nhost: {Host}\nboot_id: {BootId}\ncommand: {Command}\n");

    /// <summary>Reads the file's text; <see langword="null"/> when it is incomplete or not a lock file.</summary>
    public static RunLockInfo? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0].Trim(), parts => parts[1].Trim(), StringComparer.Ordinal);
        if (!values.TryGetValue("pid", out var pidText) || !int.TryParse(pidText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid)
            || !values.TryGetValue("started", out var startedText)
            || !DateTimeOffset.TryParse(startedText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var started))
        {
            return null;
        }

        return new RunLockInfo(pid, started, values.GetValueOrDefault("host", ""), values.GetValueOrDefault("boot_id", ""), values.GetValueOrDefault("command", ""));
    }

    /// <summary>This process, now.</summary>
    public static RunLockInfo Current(string command) =>
        new(Environment.ProcessId, DateTimeOffset.UtcNow, Environment.MachineName, CurrentBootId(), command);

    /// <summary>The running kernel's boot id, or empty where there is none.</summary>
    public static string CurrentBootId()
    {
        const string BootIdPath = "/proc/sys/kernel/random/boot_id";
        try
        {
            return OperatingSystem.IsLinux() && File.Exists(BootIdPath) ? File.ReadAllText(BootIdPath).Trim() : "";
        }
        catch (IOException)
        {
            return "";
        }
    }
}
