using System.Diagnostics;

namespace Pipeline.Build.Internal;

/// <summary>Runs a plan in order, recording each target's status and duration.</summary>
internal sealed class BuildRunner(NukeBuild build, TextWriter output)
{
    /// <summary>Runs <paramref name="plan"/>; returns true when no target failed.</summary>
    public async Task<bool> RunAsync(IReadOnlyList<ExecutableTarget> plan)
    {
        var stopped = false;
        foreach (var target in plan)
        {
            if (target.Status == ExecutionStatus.Skipped)
            {
                output.WriteLine($"Skipping {target.Name} ({target.SkipReason}).");
                continue;
            }

            var blocked = target.DependsOn.Any(d => plan.FirstOrDefault(p => p.Name == d)?.Status is ExecutionStatus.Failed or ExecutionStatus.NotRun);
            if (blocked || (stopped && !target.IsAssured))
            {
                target.Status = ExecutionStatus.NotRun;
                continue;
            }

            var condition = target.DynamicConditions.FirstOrDefault(c => !c.Compile()());
            if (condition is not null)
            {
                target.Status = ExecutionStatus.Skipped;
                target.SkipReason = target.DynamicReasons.TryGetValue(condition, out var reason) ? reason() : $"condition {condition.Body} is false";
                output.WriteLine($"Skipping {target.Name} ({target.SkipReason}).");
                continue;
            }

            if (!await RunTargetAsync(target).ConfigureAwait(false) && !target.ProceedsAfterFailure)
            {
                stopped = true;
            }
        }

        return plan.All(t => t.Status != ExecutionStatus.Failed);
    }

    private async Task<bool> RunTargetAsync(ExecutableTarget target)
    {
        output.WriteLine();
        output.WriteLine($"=== {target.Name} ===");
        var stopwatch = Stopwatch.StartNew();
        try
        {
            foreach (var action in target.Actions)
            {
                await action().ConfigureAwait(false);
            }

            target.Status = target.Actions.Count == 0 ? ExecutionStatus.Collective : ExecutionStatus.Succeeded;
            return true;
        }
#pragma warning disable CA1031 // A target's failure of any kind is reported and recorded, not rethrown.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            target.Status = ExecutionStatus.Failed;
            var failure = exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : exception;
            WriteFailure(target.Name, failure.Message);
            if (!build.IsExpectedFailureInternal(failure))
            {
                output.WriteLine(failure.ToString());
            }

            return false;
        }
        finally
        {
            target.Duration = stopwatch.Elapsed;
            output.Flush();
        }
    }

    /// <summary>
    /// "Target 'X' failed: first line", then any further lines of the message indented: a
    /// config with three mistakes lists one per line instead of one run-on line.
    /// </summary>
    private void WriteFailure(string target, string message)
    {
        var lines = message.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        output.WriteLine($"Target '{target}' failed: {(lines.Length > 0 ? lines[0] : "")}");
        foreach (var line in lines.Skip(1))
        {
            output.WriteLine("  " + line);
        }
    }
}
