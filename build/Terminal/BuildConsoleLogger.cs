using Microsoft.Extensions.Logging;

namespace Pipeline.Build.Terminal;

/// <summary>
/// Writes the build's log lines (<see cref="BuildLogFormatter"/>) synchronously to the
/// <see cref="BuildConsole"/>, so that while a progress bar shows they appear above it.
/// </summary>
public sealed class BuildConsoleLoggerProvider(BuildConsole console) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new BuildConsoleLogger(console);

    public void Dispose()
    {
        // The console belongs to the build, not to the provider.
    }

    private sealed class BuildConsoleLogger(BuildConsole console) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            if (!IsEnabled(logLevel))
            {
                return;
            }

            foreach (var line in BuildLogFormatter.Lines(logLevel, formatter(state, exception), exception, DateTime.Now))
            {
                console.WriteLine(line);
            }
        }
    }
}
