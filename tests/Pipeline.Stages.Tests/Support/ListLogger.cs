using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Pipeline.Stages.Tests.Support;

/// <summary>Keeps every formatted log line so tests can assert on what a user would read.</summary>
/// <param name="onLine">Told each line as it is logged (e.g. to stop a run at a given point); optional.</param>
public sealed class ListLogger(Action<string>? onLine = null) : ILogger
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var line = formatter(state, exception);
        _lines.Enqueue(line);
        onLine?.Invoke(line);
    }
}
