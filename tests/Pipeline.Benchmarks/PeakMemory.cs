using System.Globalization;

namespace Pipeline.Benchmarks;

/// <summary>The process's peak resident memory (VmHWM), which includes native allocations.</summary>
internal static class PeakMemory
{
    /// <summary>Peak resident set size in bytes, or the managed peak working set where /proc is absent.</summary>
    public static long Bytes()
    {
        const string status = "/proc/self/status";
        if (File.Exists(status))
        {
            foreach (var line in File.ReadLines(status))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kb = line["VmHWM:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }

        return Environment.WorkingSet;
    }
}
