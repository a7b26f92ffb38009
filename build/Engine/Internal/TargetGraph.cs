using System.Reflection;

namespace Pipeline.Build.Internal;

/// <summary>The build's targets, found by reflection, with their references resolved and cycles rejected.</summary>
internal sealed class TargetGraph
{
    private const BindingFlags Members = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;

    private TargetGraph(IReadOnlyList<ExecutableTarget> targets)
    {
        Targets = targets;
        ByName = targets.ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>All targets in declaration order.</summary>
    public IReadOnlyList<ExecutableTarget> Targets { get; }

    public IReadOnlyDictionary<string, ExecutableTarget> ByName { get; }

    /// <summary>Reads every <see cref="Target"/> property of <paramref name="build"/>.</summary>
    /// <exception cref="BuildDefinitionException">A reference points outside the build, or targets form a cycle.</exception>
    public static TargetGraph Discover(NukeBuild build)
    {
        var properties = build.GetType().GetProperties(Members)
            .Where(p => p.PropertyType == typeof(Target) && p.GetIndexParameters().Length == 0)
            .GroupBy(p => p.Name)
            .Select(g => g.First())
            .ToList();
        var delegates = properties.Select(p => (Name: p.Name, Delegate: (Target)p.GetValue(build)!)).ToList();
        var definitions = delegates.Select((d, i) => new TargetDefinition(new ExecutableTarget(d.Name, i))).ToList();
        for (var i = 0; i < delegates.Count; i++)
        {
            delegates[i].Delegate(definitions[i]);
        }

        string NameOf(Target reference, string from)
        {
            var match = delegates.FindIndex(d => d.Delegate.Equals(reference));
            return match >= 0
                ? delegates[match].Name
                : throw new BuildDefinitionException($"Target '{from}' refers to a target that is not a property of {build.GetType().Name}.");
        }

        foreach (var definition in definitions)
        {
            var target = definition.Target;
            target.DependsOn.AddRange(definition.DependsOnTargets.Select(t => NameOf(t, target.Name)));
            target.RunsAfter.AddRange(definition.AfterTargets.Select(t => NameOf(t, target.Name)));
            target.RunsBefore.AddRange(definition.BeforeTargets.Select(t => NameOf(t, target.Name)));
            target.TriggersTargets.AddRange(definition.TriggersTargets.Select(t => NameOf(t, target.Name)));
        }

        var byName = definitions.ToDictionary(d => d.Target.Name);
        foreach (var definition in definitions)
        {
            foreach (var trigger in definition.TriggeredByTargets)
            {
                byName[NameOf(trigger, definition.Target.Name)].Target.TriggersTargets.Add(definition.Target.Name);
            }
        }

        var graph = new TargetGraph(definitions.Select(d => d.Target).ToList());
        graph.RejectCycles();
        return graph;
    }

    /// <summary>The names of the targets that must run before <paramref name="target"/> whenever both are planned.</summary>
    public IEnumerable<string> Predecessors(ExecutableTarget target) =>
        target.DependsOn
            .Concat(target.RunsAfter)
            .Concat(Targets.Where(t => t.RunsBefore.Contains(target.Name, StringComparer.Ordinal)).Select(t => t.Name))
            .Concat(Targets.Where(t => t.TriggersTargets.Contains(target.Name, StringComparer.Ordinal)).Select(t => t.Name))
            .Distinct(StringComparer.Ordinal);

    private void RejectCycles()
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = new List<string>();

        void Visit(ExecutableTarget target)
        {
            state[target.Name] = 1;
            path.Add(target.Name);
            foreach (var next in Predecessors(target))
            {
                var seen = state.GetValueOrDefault(next);
                if (seen == 1)
                {
                    var cycle = path.Skip(path.IndexOf(next)).Append(next);
                    throw new BuildDefinitionException($"Circular dependency: {string.Join(" -> ", cycle)}");
                }

                if (seen == 0)
                {
                    Visit(ByName[next]);
                }
            }

            path.RemoveAt(path.Count - 1);
            state[target.Name] = 2;
        }

        foreach (var target in Targets.Where(t => !state.ContainsKey(t.Name)))
        {
            Visit(target);
        }
    }
}
