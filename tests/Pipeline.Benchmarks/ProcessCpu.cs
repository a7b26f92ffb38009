using System.Diagnostics;

namespace Pipeline.Benchmarks;

/// <summary>
/// CPU time used by this process (all its threads, the JIT's included). On a shared host the wall
/// time of a step also counts the time other processes held the cores; CPU time mostly does not.
/// </summary>
internal static class ProcessCpu
{
    public static TimeSpan Now
    {
        get
        {
            using var self = Process.GetCurrentProcess();
            return self.TotalProcessorTime;
        }
    }

    /// <summary>The CPU time since <paramref name="mark"/>, which moves to now.</summary>
    public static TimeSpan Since(ref TimeSpan mark)
    {
        var now = Now;
        var spent = now - mark;
        mark = now;
        return spent;
    }
}
