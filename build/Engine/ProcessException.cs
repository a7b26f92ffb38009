namespace Pipeline.Build;

/// <summary>A tool the build ran exited with a non-zero code; the message holds the command line, folder and stderr tail.</summary>
public sealed class ProcessException : Exception
{
    public ProcessException()
    {
        CommandLine = "";
        WorkingDirectory = "";
        ErrorTail = "";
    }

    public ProcessException(string message)
        : base(message)
    {
        CommandLine = "";
        WorkingDirectory = "";
        ErrorTail = "";
    }

    public ProcessException(string message, Exception innerException)
        : base(message, innerException)
    {
        CommandLine = "";
        WorkingDirectory = "";
        ErrorTail = "";
    }

    /// <summary>Describes a process that exited with <paramref name="exitCode"/>.</summary>
    public ProcessException(string commandLine, string workingDirectory, int exitCode, string errorTail)
        : base(Describe(commandLine, workingDirectory, exitCode, errorTail))
    {
        CommandLine = commandLine;
        WorkingDirectory = workingDirectory;
        ExitCode = exitCode;
        ErrorTail = errorTail;
    }

    /// <summary>The program and its arguments as run.</summary>
    public string CommandLine { get; }

    /// <summary>The folder it ran in.</summary>
    public string WorkingDirectory { get; }

    /// <summary>Its exit code.</summary>
    public int ExitCode { get; }

    /// <summary>The last lines it wrote to stderr.</summary>
    public string ErrorTail { get; }

    private static string Describe(string commandLine, string workingDirectory, int exitCode, string errorTail) =>
        $"Process '{commandLine}' exited with code {exitCode} (in {workingDirectory})."
        + (errorTail.Length > 0 ? $" Last error output: {errorTail.ReplaceLineEndings(" | ")}" : "");
}
