using System.Globalization;

namespace Pipeline.Build.Internal;

/// <summary>Nuke's end-of-build table: target, status, duration (or why it was skipped), total; then the verdict line.</summary>
internal static class Summary
{
    public static void Write(TextWriter output, IReadOnlyList<ExecutableTarget> plan, bool succeeded, DateTimeOffset finishedAt)
    {
        var width = Math.Max(plan.Max(t => t.Name.Length), "Target".Length) + 4;
        var rule = new string('=', width + 24);
        output.WriteLine();
        output.WriteLine(rule);
        output.WriteLine($"{"Target".PadRight(width)}{"Status",-12}{"Duration",12}");
        output.WriteLine(new string('-', width + 24));
        foreach (var target in plan)
        {
            var ran = target.Status is ExecutionStatus.Succeeded or ExecutionStatus.Failed or ExecutionStatus.Collective;
            var duration = ran ? Format(target.Duration) : "";
            var reason = target.Status == ExecutionStatus.Skipped && target.SkipReason is { Length: > 0 } why ? $"  ({why})" : "";
            output.WriteLine($"{target.Name.PadRight(width)}{target.Status,-12}{duration,12}".TrimEnd() + reason);
        }

        output.WriteLine(new string('-', width + 24));
        var total = plan.Aggregate(TimeSpan.Zero, (sum, t) => sum + t.Duration);
        output.WriteLine($"{"Total".PadRight(width)}{"",-12}{Format(total),12}");
        output.WriteLine(rule);
        output.WriteLine();
        var verdict = succeeded ? "succeeded" : "failed";
        output.WriteLine($"Build {verdict} on {finishedAt.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)}.");
    }

    private static string Format(TimeSpan duration) =>
        duration < TimeSpan.FromSeconds(1)
            ? "< 1s"
            : string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalMinutes}:{duration.Seconds:00}");
}
