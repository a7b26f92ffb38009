namespace Pipeline.Build.Internal;

/// <summary>What <c>--help</c> prints: the targets and the parameters, secrets masked.</summary>
internal static class HelpText
{
    public static void Write(TextWriter output, TargetGraph graph, IReadOnlyList<BuildParameter> parameters, string? defaultTarget)
    {
        output.WriteLine("Usage: ./build.sh [targets] [--target A B] [--skip [A B]] [--plan] [--help] [--<parameter> <value>]");
        output.WriteLine();
        output.WriteLine("Targets (with their dependencies):");
        var width = graph.Targets.Max(t => t.Name.Length + (t.Name == defaultTarget ? 10 : 0)) + 2;
        foreach (var target in graph.Targets)
        {
            var name = target.Name == defaultTarget ? $"{target.Name} (default)" : target.Name;
            var dependencies = target.DependsOn.Count > 0 ? $" -> {string.Join(", ", target.DependsOn)}" : "";
            output.WriteLine($"  {name.PadRight(width)}{target.Description}{dependencies}");
        }

        output.WriteLine();
        output.WriteLine("Parameters (command line, then environment variable, then .nuke/parameters.json, then default):");
        var rows = parameters
            .Select(p => (Option: p.Option, Text: Describe(p)))
            .Concat(new (string Option, string Text)[]
            {
                ("--target", "Targets to run (or give them first, without --target)."),
                ("--skip", "Targets to skip; alone, skips every target not named."),
                ("--plan", "Print the execution plan and run nothing."),
                ("--help, -h", "Print this help."),
            })
            .ToList();
        var optionWidth = rows.Max(r => r.Option.Length) + 2;
        foreach (var (option, text) in rows)
        {
            output.WriteLine($"  {option.PadRight(optionWidth)}{text}");
        }
    }

    private static string Describe(BuildParameter parameter)
    {
        var text = parameter.Description.Length > 0 ? parameter.Description.TrimEnd('.') + ". " : "";
        text += $"Type: {ValueConverter.Describe(parameter.Type)}.";
        var shown = parameter.Display(parameter.DefaultValue);
        if (shown.Length > 0)
        {
            text += $" Default: {shown}.";
        }

        return text + $" Env: {parameter.EnvironmentVariable}.";
    }
}
