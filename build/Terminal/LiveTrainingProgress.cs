using System.Globalization;
using Pipeline.Stages;
using Pipeline.Training.Training;
using Spectre.Console;

namespace Pipeline.Build.Terminal;

/// <summary>
/// A Spectre.Console progress bar for one training run: its title until the first step, then
/// epoch, step/total, loss, examples/s and ETA. The bar runs on its own thread (Spectre's <c>Progress.Start</c> holds the caller until
/// the display ends); <see cref="Report"/> only updates its task, so the training thread never waits.
/// </summary>
public sealed class LiveTrainingProgress : ITrainingProgressSession
{
    private readonly ManualResetEventSlim _started = new();
    private readonly ManualResetEventSlim _finished = new();
    private readonly Thread _thread;
    private readonly string _title;
    private readonly TimeProvider _time;
    private readonly Action<LiveTrainingProgress> _ended;
    private ProgressTask? _task;
    private long? _firstStep;
    private long _firstTimestamp;
    private bool _disposed;

    public LiveTrainingProgress(IAnsiConsole console, string title, TimeProvider time, Action<LiveTrainingProgress> ended)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(title);
        _title = title;
        _time = time;
        _ended = ended;
        _thread = new Thread(() => Show(console)) { IsBackground = true, Name = "training progress bar" };
        _thread.Start();
        _started.Wait();
    }

    /// <summary>True once the bar shows.</summary>
    public bool IsLive => _task is not null && !_disposed;

    /// <summary>
    /// The bar's text for <paramref name="value"/>, short enough to sit beside the bar on an
    /// 80-column terminal: <c>epoch 2/3  step 12/30  loss 0.4321  25.5 ex/s  ETA 00:36</c>.
    /// </summary>
    public static string Describe(TrainProgress value, TimeSpan? eta)
    {
        ArgumentNullException.ThrowIfNull(value);
        var left = eta is not { } e ? "--:--"
            : e.TotalHours >= 1 ? e.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
            : e.ToString(@"mm\:ss", CultureInfo.InvariantCulture);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"epoch {value.Epoch + 1}/{value.Epochs}  step {value.Step}/{value.TotalSteps}  loss {value.Loss:F4}  {value.ExamplesPerSecond:F1} ex/s  ETA {left}");
    }

    /// <summary>
    /// Time left at the pace since the first step this run reported (steps before it, from a
    /// resumed checkpoint, took no time here); null before a second step.
    /// </summary>
    public static TimeSpan? EstimateRemaining(long firstStep, long step, long totalSteps, TimeSpan elapsed)
    {
        var done = step - firstStep;
        if (done <= 0)
        {
            return null;
        }

        return TimeSpan.FromSeconds(elapsed.TotalSeconds / done * Math.Max(0, totalSteps - step));
    }

    public void Report(TrainProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (_task is not { } task)
        {
            return;
        }

        var now = _time.GetTimestamp();
        if (_firstStep is null)
        {
            _firstStep = value.Step;
            _firstTimestamp = now;
        }

        var eta = EstimateRemaining(_firstStep.Value, value.Step, value.TotalSteps, _time.GetElapsedTime(_firstTimestamp, now));
        task.IsIndeterminate = false;
        task.MaxValue = Math.Max(1, value.TotalSteps);
        task.Value = value.Step;
        task.Description = Markup.Escape(Describe(value, eta));
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _finished.Set();
        _thread.Join();
        _ended(this);
        _started.Dispose();
        _finished.Dispose();
    }

    private void Show(IAnsiConsole console)
    {
        try
        {
            console.Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 16 }, new SpinnerColumn())
                .Start(context =>
                {
                    // Until the first step (a linear probe or feature cache may come first): what is trained.
                    var task = context.AddTask(Markup.Escape(_title + "  starting"), autoStart: true, maxValue: 1);
                    task.IsIndeterminate = true;
                    _task = task;
                    _started.Set();
                    _finished.Wait();
                    task.StopTask();
                    context.Refresh();
                });
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or NotSupportedException)
        {
            // The terminal refused the display: the session is not live and the log keeps its step lines.
            _task = null;
        }
        finally
        {
            // Should the display fail to start, the session is not live and the log keeps its step lines.
            _started.Set();
        }
    }
}
