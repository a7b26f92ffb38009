using Pipeline.Training.Training;

namespace Pipeline.Stages;

/// <summary>
/// Where the Train stage reports its optimizer steps. The build's console implements it: a live
/// progress bar on an interactive terminal; in CI (no terminal) nothing beyond the log's line
/// per N steps.
/// </summary>
public interface ITrainingProgress
{
    /// <summary>Opens the display for one training run; the stage disposes it when the run ends, also when it fails.</summary>
    /// <param name="title">What is trained, e.g. <c>lp-ft on minilm</c>.</param>
    ITrainingProgressSession Begin(string title);
}

/// <summary>One training run's display: told after every optimizer step (on the training thread).</summary>
public interface ITrainingProgressSession : IProgress<TrainProgress>, IDisposable
{
    /// <summary>True when the steps are shown live; the stage then leaves the trainer's per-step log lines out.</summary>
    bool IsLive { get; }
}
