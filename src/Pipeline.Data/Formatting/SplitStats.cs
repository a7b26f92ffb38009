using Pipeline.Data.Cleaning;

namespace Pipeline.Data.Formatting;

/// <summary>Counts one split's rows while Format streams.</summary>
internal sealed class SplitStats(IReadOnlyList<string> tasks)
{
    private readonly Dictionary<string, SortedDictionary<string, long>> _counts =
        tasks.ToDictionary(t => t, _ => new SortedDictionary<string, long>(StringComparer.Ordinal), StringComparer.Ordinal);

    private readonly List<int> _lengths = [];

    public void Add(IReadOnlyList<string> labels, int tokens)
    {
        for (var t = 0; t < tasks.Count; t++)
        {
            var counts = _counts[tasks[t]];
            counts[labels[t]] = counts.GetValueOrDefault(labels[t]) + 1;
        }

        _lengths.Add(tokens);
    }

    public SplitSummary ToSummary() => new()
    {
        Rows = _lengths.Count,
        LabelCounts = _counts,
        TokenLengths = LengthStats.Of(_lengths),
    };
}
