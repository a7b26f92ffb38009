using static TorchSharp.torch;

namespace Pipeline.Training.Heads;

/// <summary>
/// One task's labels for a batch. <see cref="Targets"/> is int64 [batch] class ids (single-label)
/// or float [batch, labels] 0/1 (multi-label); <see cref="Present"/> is bool [batch], false for
/// rows that carry no label for this task (their values in <see cref="Targets"/> are ignored).
/// </summary>
public sealed record TaskLabels(Tensor Targets, Tensor Present);
