using static TorchSharp.torch;

namespace Pipeline.Training.Heads;

/// <summary>Masked per-task losses and their weighted multitask sum.</summary>
public static class TaskLosses
{
    /// <summary>
    /// The mean loss over the rows that carry a label for <paramref name="task"/> (cross-entropy
    /// for single-label, binary cross-entropy averaged over labels for multi-label); 0 when no row does.
    /// </summary>
    public static Tensor Loss(TaskHeadSpec task, Tensor logits, TaskLabels labels)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        using var scope = NewDisposeScope();
        var present = labels.Present.to_type(logits.dtype);
        Tensor perRow;
        if (task.Kind == TaskKind.SingleLabel)
        {
            // Rows without a label may carry any id; clamp so the gather stays in range, the mask drops them.
            var targets = labels.Targets.clamp(0, task.NumLabels - 1);
            perRow = nn.functional.cross_entropy(logits, targets, reduction: nn.Reduction.None);
        }
        else
        {
            var targets = labels.Targets.to_type(logits.dtype);
            perRow = nn.functional.binary_cross_entropy_with_logits(logits, targets, reduction: nn.Reduction.None).mean([1]);
        }

        var count = present.sum().clamp_min(1.0);
        return ((perRow * present).sum() / count).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Σ weight × loss over the tasks that have at least one labelled row in the batch; the
    /// result is a scalar with gradients. Tasks missing from <paramref name="labels"/> are skipped.
    /// </summary>
    public static Tensor Multitask(IReadOnlyList<TaskHeadSpec> tasks, IReadOnlyDictionary<string, Tensor> logits, IReadOnlyDictionary<string, TaskLabels> labels)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        using var scope = NewDisposeScope();
        Tensor? total = null;
        foreach (var task in tasks)
        {
            if (!labels.TryGetValue(task.Name, out var taskLabels) || !taskLabels.Present.any().item<bool>())
            {
                continue;
            }

            var weighted = Loss(task, logits[task.Name], taskLabels) * task.LossWeight;
            total = total is null ? weighted : total + weighted;
        }

        total ??= logits[tasks[0].Name].sum() * 0.0;
        return total.MoveToOuterDisposeScope();
    }

    /// <summary>Predictions: class ids [batch] (argmax) for single-label; sigmoid(logits) ≥ per-label thresholds, bool [batch, labels], for multi-label.</summary>
    public static Tensor Decide(TaskHeadSpec task, Tensor logits)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(logits);
        if (task.Kind != TaskKind.MultiLabel)
        {
            return logits.argmax(-1);
        }

        using var scope = NewDisposeScope();
        var thresholds = tensor(task.EffectiveThresholds(), device: logits.device);
        return logits.sigmoid().ge(thresholds).MoveToOuterDisposeScope();
    }
}
