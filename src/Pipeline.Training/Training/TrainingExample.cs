namespace Pipeline.Training.Training;

/// <summary>
/// One tokenized row. <see cref="Labels"/> maps a task name to its label ids: one class id for a
/// single-label task, the ids of the positive labels for a multi-label task. A task the row has
/// no label for is simply absent (its loss is masked for this row).
/// </summary>
public sealed record TrainingExample(IReadOnlyList<long> InputIds, IReadOnlyDictionary<string, int[]> Labels);
