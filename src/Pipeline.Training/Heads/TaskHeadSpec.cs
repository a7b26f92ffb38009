namespace Pipeline.Training.Heads;

/// <summary>What a classification head predicts.</summary>
public enum TaskKind
{
    /// <summary>Exactly one label per row: softmax and cross-entropy.</summary>
    SingleLabel,

    /// <summary>Any number of labels per row: one sigmoid per label and binary cross-entropy.</summary>
    MultiLabel,
}

/// <summary>One task of a classifier: its head's shape, its loss weight and, for multi-label, its decision thresholds.</summary>
public sealed record TaskHeadSpec
{
    public TaskHeadSpec(string name, TaskKind kind, int numLabels)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Task name '{name}' must not contain '.'; it becomes a parameter name.", nameof(name));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(numLabels, kind == TaskKind.SingleLabel ? 2 : 1, nameof(numLabels));
        Name = name;
        Kind = kind;
        NumLabels = numLabels;
    }

    /// <summary>Task name, e.g. <c>intent</c>; also the head's parameter prefix (<c>heads.intent.*</c>).</summary>
    public string Name { get; }

    /// <summary>Single- or multi-label.</summary>
    public TaskKind Kind { get; }

    /// <summary>Number of classes (single-label, at least 2) or labels (multi-label, at least 1).</summary>
    public int NumLabels { get; }

    /// <summary>Weight of this task's loss in the multitask sum. Default 1; within (0, +Inf).</summary>
    public double LossWeight
    {
        get;
        init
        {
            if (!(value > 0) || double.IsInfinity(value))
            {
                throw new ArgumentOutOfRangeException(nameof(LossWeight), value, "A task's loss weight must be within (0, +Inf).");
            }

            field = value;
        }
    } = 1.0;

    /// <summary>
    /// Multi-label only: per-label probability thresholds, one per label, each within (0, 1).
    /// Default: 0.5 for every label.
    /// </summary>
    public IReadOnlyList<float>? Thresholds
    {
        get;
        init
        {
            if (value is not null && value.Any(t => !(t > 0 && t < 1)))
            {
                throw new ArgumentOutOfRangeException(nameof(Thresholds), "Multi-label thresholds must be within (0, 1).");
            }

            field = value;
        }
    }

    /// <summary>Optional label names, index = class id (the label map). When given, one per label.</summary>
    public IReadOnlyList<string>? LabelNames
    {
        get;
        init
        {
            if (value is not null && value.Count != NumLabels)
            {
                throw new ArgumentException($"Task '{Name}' has {NumLabels} labels but {value.Count} label names.", nameof(LabelNames));
            }

            field = value;
        }
    }

    /// <summary>The thresholds to use: <see cref="Thresholds"/> or 0.5 for each label.</summary>
    public float[] EffectiveThresholds()
    {
        if (Thresholds is null)
        {
            return Enumerable.Repeat(0.5f, NumLabels).ToArray();
        }

        if (Thresholds.Count != NumLabels)
        {
            throw new InvalidOperationException($"Task '{Name}' has {NumLabels} labels but {Thresholds.Count} thresholds; give one per label.");
        }

        return Thresholds.ToArray();
    }
}
