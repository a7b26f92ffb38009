namespace Pipeline.Build.Internal;

/// <summary>One invocation: read the build, parse the command line, bind, plan, check, run, summarize.</summary>
internal sealed class BuildSession(NukeBuild build, MaskingWriter output, IReadOnlyDictionary<string, string> environment)
{
    private static readonly string[] BuiltInOptions = ["target", "skip", "plan", "help"];

    public async Task<int> RunAsync(IReadOnlyList<string> args, string? defaultTarget)
    {
        try
        {
            var graph = TargetGraph.Discover(build);
            var parameters = BuildParameter.Discover(build);
            SchemaWriter.Write(build.RootDirectory, SchemaWriter.Generate(graph, parameters));
            var commandLine = CommandLine.Parse(args);
            if (commandLine.Take("help") is not null)
            {
                HelpText.Write(output, graph, parameters, defaultTarget);
                return NukeBuild.ExitSuccess;
            }

            var planOption = commandLine.Take("plan");
            var planOnly = planOption is not null;
            var targetOption = commandLine.Take("target");
            var skipOption = commandLine.Take("skip");
            var binder = new ParameterBinder(parameters, environment, build.RootDirectory);
            binder.Bind(build, commandLine);
            output.AddSecrets(parameters.Where(p => p.IsSecret).SelectMany(p => SecretValues(p.GetValue(build))));
            RejectUnknownOptions(commandLine, parameters);

            binder.ExtraPositional.AddRange(planOption?.Values ?? []);
            var invoked = Resolve(graph, InvokedNames(commandLine, binder, targetOption, defaultTarget));
            var skip = skipOption?.Values ?? binder.JsonSkip;
            if (skip is not null)
            {
                Resolve(graph, skip);
            }

            var plan = ExecutionPlanner.Plan(graph, invoked);
            ExecutionPlanner.ApplySkips(plan, invoked, skip);
            build.InvokedTargets = invoked;
            build.ExecutionPlan = plan;
            if (planOnly)
            {
                WritePlan(plan, invoked);
                return NukeBuild.ExitSuccess;
            }

            Requirements.Check(plan, parameters);
            bool succeeded;
            try
            {
                succeeded = await new BuildRunner(build, output).RunAsync(plan).ConfigureAwait(false);
            }
            finally
            {
                build.OnBuildFinishedInternal();
            }

            Summary.Write(output, plan, succeeded, DateTimeOffset.Now);
            return succeeded ? NukeBuild.ExitSuccess : NukeBuild.ExitTargetFailed;
        }
        catch (BuildDefinitionException exception)
        {
            output.WriteLine(exception.Message);
            return NukeBuild.ExitUsageError;
        }
    }

    private static List<string> InvokedNames(CommandLine commandLine, ParameterBinder binder, CommandLineOption? targetOption, string? defaultTarget)
    {
        var names = commandLine.Positional.Concat(binder.ExtraPositional).Concat(targetOption?.Values ?? []).ToList();
        if (names.Count == 0)
        {
            names = binder.JsonTargets ?? (defaultTarget is null ? [] : [defaultTarget]);
        }

        return names.Count > 0
            ? names
            : throw new BuildDefinitionException("No target given and the build has no default target. Run with --help to list the targets.");
    }

    private static List<ExecutableTarget> Resolve(TargetGraph graph, IEnumerable<string> names) =>
        names.Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(name => graph.ByName.TryGetValue(name, out var target)
                ? target
                : throw new BuildDefinitionException(
                    $"Unknown target '{name}'.{Suggestions.DidYouMean(name, graph.Targets.Select(t => t.Name))} Run with --help to list the targets."))
            .ToList();

    private static void RejectUnknownOptions(CommandLine commandLine, IReadOnlyList<BuildParameter> parameters)
    {
        if (commandLine.Options.FirstOrDefault() is not { } unknown)
        {
            return;
        }

        var known = parameters.Select(p => Naming.Kebab(p.Name)).Concat(BuiltInOptions);
        throw new BuildDefinitionException(
            $"Unknown parameter '--{unknown.Name}'.{Suggestions.DidYouMean(unknown.Name, known, n => "--" + n)} Run with --help to list the parameters.");
    }

    private static IEnumerable<string> SecretValues(object? value) => value switch
    {
        null => [],
        string s => [s],
        System.Collections.IEnumerable items => items.Cast<object?>().Select(i => i?.ToString() ?? ""),
        _ => [value.ToString() ?? ""],
    };

    private void WritePlan(IReadOnlyList<ExecutableTarget> plan, IReadOnlyList<ExecutableTarget> invoked)
    {
        output.WriteLine($"Execution plan for {string.Join(", ", invoked.Select(t => t.Name))}:");
        for (var i = 0; i < plan.Count; i++)
        {
            var skipped = plan[i].Status == ExecutionStatus.Skipped ? $"  (skipped: {plan[i].SkipReason})" : "";
            output.WriteLine($"  {i + 1}. {plan[i].Name}{skipped}");
        }

        output.WriteLine("Nothing was run (--plan).");
    }
}
