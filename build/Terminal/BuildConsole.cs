using Pipeline.Stages;
using Pipeline.Training.Training;
using Spectre.Console;

namespace Pipeline.Build.Terminal;

/// <summary>
/// The build's output. Log lines go to standard output as plain lines; on an interactive
/// terminal (<see cref="ConsoleMode"/>) a training run shows a live Spectre.Console progress
/// bar, and the log lines written meanwhile appear above it. Elsewhere (CI, pipes) training
/// shows no bar and keeps the trainer's log line per N steps.
/// </summary>
public sealed class BuildConsole : ITrainingProgress, IDisposable
{
    private readonly Lock _gate = new();
    private readonly TextWriter _plain;
    private readonly IAnsiConsole? _live;
    private readonly TimeProvider _time;
    private LiveTrainingProgress? _showing;

    /// <param name="plain">Where lines go when nothing live shows.</param>
    /// <param name="live">The terminal for live displays; null when there is none (CI, a pipe).</param>
    /// <param name="time">The clock for the ETA.</param>
    public BuildConsole(TextWriter plain, IAnsiConsole? live, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(plain);
        ArgumentNullException.ThrowIfNull(time);
        _plain = plain;
        _live = live;
        _time = time;
    }

    /// <summary>True when training shows a live bar.</summary>
    public bool IsInteractive => _live is not null;

    /// <summary>This process's console: live on a terminal, plain in CI or when redirected.</summary>
    public static BuildConsole ForThisProcess() =>
        new(Console.Out, ConsoleMode.IsInteractive(Console.IsOutputRedirected, Environment.GetEnvironmentVariable) ? AnsiConsole.Console : null, TimeProvider.System);

    /// <summary>Writes one line: above the bar while one shows, else plainly.</summary>
    public void WriteLine(string line)
    {
        lock (_gate)
        {
            if (_showing is { IsLive: true })
            {
                _live!.WriteLine(line);
            }
            else
            {
                _plain.WriteLine(line);
            }
        }
    }

    public ITrainingProgressSession Begin(string title)
    {
        if (_live is null)
        {
            return new LinesOnly();
        }

        lock (_gate)
        {
            if (_showing is not null)
            {
                // One bar at a time: a second run shows its progress in the log.
                return new LinesOnly();
            }

            _showing = new LiveTrainingProgress(_live, title, _time, Ended);
            return _showing;
        }
    }

    /// <summary>Ends a bar still showing (a stage that failed without disposing its session).</summary>
    public void Dispose()
    {
        LiveTrainingProgress? showing;
        lock (_gate)
        {
            showing = _showing;
        }

        showing?.Dispose();
    }

    private void Ended(LiveTrainingProgress progress)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_showing, progress))
            {
                _showing = null;
            }
        }
    }

    /// <summary>No live display: the trainer's log lines are the progress.</summary>
    private sealed class LinesOnly : ITrainingProgressSession
    {
        public bool IsLive => false;

        public void Report(TrainProgress value)
        {
            // The trainer logs a line per N steps; nothing else to show.
        }

        public void Dispose()
        {
            // Nothing was opened.
        }
    }
}
