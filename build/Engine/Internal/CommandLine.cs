namespace Pipeline.Build.Internal;

/// <summary>One <c>--name value...</c> option as typed.</summary>
internal sealed record CommandLineOption(string Name, List<string> Values);

/// <summary>
/// The raw command line: leading positional words (target names) and <c>--options</c>, each with
/// the words that follow it up to the next option. What the words mean is decided once the
/// parameter types are known (a bool flag takes a value only if it is <c>true</c>/<c>false</c>).
/// </summary>
internal sealed class CommandLine
{
    private CommandLine(List<string> positional, List<CommandLineOption> options)
    {
        Positional = positional;
        Options = options;
    }

    public List<string> Positional { get; }

    public List<CommandLineOption> Options { get; }

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var positional = new List<string>();
        var options = new List<CommandLineOption>();
        foreach (var arg in args)
        {
            if (arg is "-h" or "-?" or "/?")
            {
                options.Add(new CommandLineOption("help", []));
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                var equals = arg.IndexOf('=', StringComparison.Ordinal);
                options.Add(equals > 0
                    ? new CommandLineOption(arg[2..equals], [arg[(equals + 1)..]])
                    : new CommandLineOption(arg[2..], []));
            }
            else if (options.Count > 0)
            {
                options[^1].Values.Add(arg);
            }
            else
            {
                positional.Add(arg);
            }
        }

        return new CommandLine(positional, options);
    }

    /// <summary>Removes and returns the option called <paramref name="name"/> (dashes and case ignored), or null.</summary>
    public CommandLineOption? Take(string name)
    {
        var option = Options.LastOrDefault(o => Naming.Normalize(o.Name) == Naming.Normalize(name));
        Options.RemoveAll(o => Naming.Normalize(o.Name) == Naming.Normalize(name));
        return option;
    }
}
