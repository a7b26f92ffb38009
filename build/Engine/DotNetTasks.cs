namespace Pipeline.Build;

/// <summary>Runs the <c>dotnet</c> CLI (the one in <c>DOTNET_EXE</c>, else on the PATH).</summary>
public static class DotNetTasks
{
    /// <summary>The dotnet executable the bootstrapper found, or <c>dotnet</c>.</summary>
    public static string DotNetPath =>
        Environment.GetEnvironmentVariable("DOTNET_EXE") is { Length: > 0 } path ? path : "dotnet";

    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/>, streaming its output.</summary>
    /// <exception cref="ProcessException">It exited with a non-zero code.</exception>
    public static Task DotNetAsync(
        IEnumerable<string> arguments,
        string workingDirectory,
        TextWriter? output = null,
        CancellationToken cancellationToken = default) =>
        ProcessTasks.RunAsync(DotNetPath, arguments, workingDirectory, output, cancellationToken);
}
