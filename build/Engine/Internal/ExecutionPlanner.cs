namespace Pipeline.Build.Internal;

/// <summary>Orders the targets a run needs: the invoked ones, their dependencies and what they trigger.</summary>
internal static class ExecutionPlanner
{
    private const string SkipOption = "--skip";

    /// <summary>
    /// The invoked targets plus their <c>DependsOn</c> closure and triggered targets, ordered so every
    /// dependency, <c>After</c>/<c>Before</c> and trigger constraint among planned targets holds.
    /// Ties keep the order a depth-first walk from the invoked targets gives.
    /// </summary>
    public static IReadOnlyList<ExecutableTarget> Plan(TargetGraph graph, IReadOnlyList<ExecutableTarget> invoked)
    {
        var preferred = new List<string>();

        void Visit(ExecutableTarget target)
        {
            if (preferred.Contains(target.Name, StringComparer.Ordinal))
            {
                return;
            }

            foreach (var dependency in target.DependsOn)
            {
                Visit(graph.ByName[dependency]);
            }

            preferred.Add(target.Name);
        }

        foreach (var target in invoked)
        {
            Visit(target);
        }

        for (var i = 0; i < preferred.Count; i++)
        {
            foreach (var triggered in graph.ByName[preferred[i]].TriggersTargets)
            {
                Visit(graph.ByName[triggered]);
            }
        }

        var planned = preferred.ToHashSet(StringComparer.Ordinal);
        var remaining = new List<string>(preferred);
        var ordered = new List<ExecutableTarget>();
        while (remaining.Count > 0)
        {
            var next = remaining.First(name =>
                graph.Predecessors(graph.ByName[name]).All(p => !planned.Contains(p) || ordered.Any(o => o.Name == p)));
            remaining.Remove(next);
            ordered.Add(graph.ByName[next]);
        }

        return ordered;
    }

    /// <summary>
    /// Marks targets skipped by <c>--skip</c> and by false <c>OnlyWhenStatic</c> conditions, then
    /// skips the dependencies that only condition-skipped targets needed (as Nuke does; <c>--skip</c>
    /// skips exactly what it names).
    /// </summary>
    public static void ApplySkips(IReadOnlyList<ExecutableTarget> plan, IReadOnlyList<ExecutableTarget> invoked, IReadOnlyList<string>? skip)
    {
        foreach (var target in plan)
        {
            if (skip is not null && (skip.Count == 0 ? !invoked.Contains(target) : skip.Contains(target.Name, StringComparer.OrdinalIgnoreCase)))
            {
                MarkSkipped(target, SkipOption);
                continue;
            }

            var failed = target.StaticConditions.FirstOrDefault(c => !c.Compile()());
            if (failed is not null)
            {
                MarkSkipped(target, $"condition {failed.Body} is false");
            }
        }

        bool changed;
        do
        {
            changed = false;
            foreach (var target in plan.Where(t => t.Status != ExecutionStatus.Skipped && !invoked.Contains(t)))
            {
                var dependants = plan.Where(p => p.DependsOn.Contains(target.Name, StringComparer.Ordinal)).ToList();
                if (dependants.Count > 0 && dependants.All(d => d.Status == ExecutionStatus.Skipped) && dependants.Any(d => d.SkipReason != SkipOption))
                {
                    MarkSkipped(target, "only skipped targets depend on it");
                    changed = true;
                }
            }
        }
        while (changed);
    }

    private static void MarkSkipped(ExecutableTarget target, string reason)
    {
        target.Status = ExecutionStatus.Skipped;
        target.SkipReason = reason;
    }
}
