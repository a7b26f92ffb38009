namespace Pipeline.Errors;

/// <summary>
/// One problem found in <c>pipeline.yaml</c> or in a command-line override.
/// </summary>
/// <param name="File">The file as the user named it (e.g. <c>pipeline.yaml</c>), or <c>command line</c>.</param>
/// <param name="Line">1-based line, or 0 when the problem has no position (missing file, command line).</param>
/// <param name="Column">1-based column, or 0 when <paramref name="Line"/> is 0.</param>
/// <param name="Path">The key path, e.g. <c>train.learning_rate</c> or <c>evaluate.gates[1]</c>; empty for the whole file.</param>
/// <param name="Message">What is wrong and, where it helps, how to fix it, e.g. <c>must be &gt; 0, got -0.1</c>.</param>
/// <param name="Argument">For a command-line override, the option that set it (e.g. <c>--epochs</c>); otherwise null.</param>
public sealed record ConfigError(string File, int Line, int Column, string Path, string Message, string? Argument = null)
{
    /// <summary>Where the problem is: <c>pipeline.yaml:14:5</c>, <c>pipeline.yaml</c> or <c>command line: --epochs</c>.</summary>
    public string Location =>
        Argument is not null ? $"{File}: {Argument}"
        : Line > 0 ? $"{File}:{Line}:{Column}"
        : File;

    /// <summary>The one-line form, e.g. <c>pipeline.yaml:14:5: train.learning_rate must be &gt; 0, got -0.1</c>.</summary>
    public override string ToString() =>
        Path.Length == 0 ? $"{Location}: {Message}" : $"{Location}: {Path} {Message}";
}
