namespace Pipeline.Configuration.Internal;

/// <summary>Where a value came from: a file position, or a command-line option (<see cref="Argument"/>).</summary>
internal readonly record struct ConfigLocation(string File, int Line, int Column, string? Argument = null)
{
    /// <summary>The location of command-line overrides.</summary>
    public const string CommandLine = "command line";

    /// <summary>True for a command-line override.</summary>
    public bool IsCommandLine => Argument is not null;
}
