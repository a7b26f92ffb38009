namespace Pipeline.Build.Terminal;

/// <summary>Whether the build's output can host a live display (a progress bar) or gets plain lines.</summary>
public static class ConsoleMode
{
    /// <summary>
    /// True on an interactive terminal: standard output is not redirected, <c>CI</c> is unset (or
    /// <c>false</c>/<c>0</c>) and <c>TERM</c> is not <c>dumb</c>. CI logs and pipes get plain lines.
    /// </summary>
    /// <param name="outputRedirected">Whether standard output goes to a file or pipe.</param>
    /// <param name="environment">Reads an environment variable (null when unset).</param>
    public static bool IsInteractive(bool outputRedirected, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (outputRedirected)
        {
            return false;
        }

        var ci = environment("CI");
        if (ci is { Length: > 0 } && !ci.Equals("false", StringComparison.OrdinalIgnoreCase) && ci != "0")
        {
            return false;
        }

        return !string.Equals(environment("TERM"), "dumb", StringComparison.OrdinalIgnoreCase);
    }
}
