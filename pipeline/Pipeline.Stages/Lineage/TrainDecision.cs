namespace Pipeline.Stages.Lineage;

/// <summary>Whether a run has anything new to train on compared with the champion.</summary>
/// <param name="ShouldTrain">False when data, config and code are all unchanged since the champion's commit.</param>
/// <param name="Message">One line saying why, e.g. <c>nothing to train: data and config unchanged since champion v3 (commit 1a2b3c4)</c>.</param>
/// <param name="ChangedPaths">What changed (committed or not) in the data, config and code paths, sorted.</param>
public sealed record TrainDecision(bool ShouldTrain, string Message, IReadOnlyList<string> ChangedPaths);
