namespace Pipeline.Errors;

/// <summary>
/// <c>pipeline.yaml</c> (or an override of it) is invalid. The message lists every problem
/// found, one per line as <c>file:line:column: key.path message</c>; <see cref="Errors"/> holds
/// them as data.
/// </summary>
public sealed class ConfigException : PipelineException
{
    public ConfigException()
        : this([])
    {
    }

    public ConfigException(string message)
        : base(message)
    {
        Errors = [];
    }

    public ConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    /// <summary>Creates the exception for the given problems (at least one).</summary>
    public ConfigException(IReadOnlyList<ConfigError> errors)
        : base(FormatMessage(errors))
    {
        Errors = errors;
    }

    /// <summary>Every problem found, in file order, then command-line overrides, then cross-field rules.</summary>
    public IReadOnlyList<ConfigError> Errors { get; }

    private static string FormatMessage(IReadOnlyList<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return errors.Count == 0
            ? "The pipeline configuration is invalid."
            : string.Join(Environment.NewLine, errors.Select(e => e.ToString()));
    }
}
