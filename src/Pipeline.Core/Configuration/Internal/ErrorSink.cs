using Pipeline.Errors;

namespace Pipeline.Configuration.Internal;

/// <summary>Collects every config error instead of stopping at the first.</summary>
internal sealed class ErrorSink
{
    private readonly List<ConfigError> _errors = [];

    /// <summary>True when at least one error was added.</summary>
    public bool Any => _errors.Count > 0;

    /// <summary>Adds an error about <paramref name="path"/> at <paramref name="location"/>.</summary>
    public void Add(ConfigLocation location, string path, string message) =>
        _errors.Add(new ConfigError(location.File, location.Line, location.Column, path, message, location.Argument));

    /// <summary>True when an error was reported on <paramref name="path"/> or below it.</summary>
    public bool HasErrorAt(string path) =>
        _errors.Exists(e => e.Path == path
            || e.Path.StartsWith(path + ".", StringComparison.Ordinal)
            || e.Path.StartsWith(path + "[", StringComparison.Ordinal));

    /// <summary>Throws one <see cref="ConfigException"/> listing every error, file positions first in order, then the command line.</summary>
    public void ThrowIfAny()
    {
        if (!Any)
        {
            return;
        }

        var ordered = _errors
            .OrderBy(e => e.Argument is null ? 0 : 1)
            .ThenBy(e => e.Line)
            .ThenBy(e => e.Column)
            .ToList();
        throw new ConfigException(ordered);
    }
}
