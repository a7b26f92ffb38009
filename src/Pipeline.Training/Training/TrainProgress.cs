namespace Pipeline.Training.Training;

/// <summary>Reported after each optimizer step: enough for a progress bar (epoch, step, loss, examples/s; ETA from step/total).</summary>
public sealed record TrainProgress(int Epoch, int Epochs, long Step, long TotalSteps, double Loss, double ExamplesPerSecond);
