using Microsoft.Extensions.Logging;

namespace Pipeline.Training.Training;

/// <summary>Event ids of the trainer's log lines, so a host can tell them apart.</summary>
public static class TrainLogEvents
{
    /// <summary>
    /// The line per <see cref="TrainOptions.LogEverySteps"/> steps (epoch, step, loss, rate, examples/s, ETA).
    /// A host that shows <see cref="TrainProgress"/> live (a progress bar) may leave these lines out.
    /// </summary>
    public static readonly EventId Step = new(4101, "TrainStep");
}
