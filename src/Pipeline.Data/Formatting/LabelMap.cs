namespace Pipeline.Data.Formatting;

/// <summary><c>labels.json</c>: per task, the labels in id order (ordinal sort, so ids are stable for the same label set).</summary>
public sealed record LabelMap(IReadOnlyDictionary<string, IReadOnlyList<string>> Tasks)
{
    /// <summary>The id of <paramref name="label"/> in <paramref name="task"/>, or -1.</summary>
    public int IdOf(string task, string label)
    {
        ArgumentNullException.ThrowIfNull(task);
        return Tasks.TryGetValue(task, out var labels) ? IndexOf(labels, label) : -1;
    }

    private static int IndexOf(IReadOnlyList<string> labels, string label)
    {
        for (var i = 0; i < labels.Count; i++)
        {
            if (string.Equals(labels[i], label, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
