using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Pipeline.Build.Terminal;

/// <summary>
/// The build's log line: <c>15:16:01 Ingested 2 files: ...</c>, with <c>warn:</c> or
/// <c>error:</c> in front when it is one; no category or event id noise.
/// </summary>
public static class BuildLogFormatter
{
    /// <summary>The lines for one event (the exception's message on a second line), or none for an empty message.</summary>
    public static IReadOnlyList<string> Lines(LogLevel level, string message, Exception? exception, DateTime now)
    {
        if (string.IsNullOrEmpty(message))
        {
            return [];
        }

        var prefix = level switch
        {
            LogLevel.Warning => "warn: ",
            LogLevel.Error or LogLevel.Critical => "error: ",
            _ => "",
        };
        var line = now.ToString("HH:mm:ss ", CultureInfo.InvariantCulture) + prefix + message;
        return exception is null ? [line] : [line, "  " + exception.Message];
    }
}
