using Microsoft.Extensions.Logging;
using Pipeline.Training.Training;

namespace Pipeline.Stages.Training;

/// <summary>Passes every log event on to <paramref name="inner"/> except the trainer's per-step lines (<see cref="TrainLogEvents.Step"/>).</summary>
internal sealed class WithoutStepLines(ILogger inner) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (eventId.Id != TrainLogEvents.Step.Id)
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
