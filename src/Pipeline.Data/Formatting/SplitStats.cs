using System.Runtime.CompilerServices;
using Pipeline.Data.Cleaning;

namespace Pipeline.Data.Formatting;

/// <summary>Counts one split's rows while Format streams.</summary>
internal sealed class SplitStats(IReadOnlyList<string> tasks)
{
    private readonly Dictionary<string, SortedDictionary<string, long>> _counts =
        tasks.ToDictionary(t => t, _ => new SortedDictionary<string, long>(StringComparer.Ordinal), StringComparer.Ordinal);

    private readonly List<int> _lengths = [];

    // Per task, counts by label id (labels.json's ids); moved into _counts by ToSummary.
    private readonly List<long>[] _byId = [.. tasks.Select(_ => new List<long>())];
    private readonly List<string>[] _labelOfId = [.. tasks.Select(_ => new List<string>())];

    /// <summary>Counts a row: its labels, their ids in the label map (-1 when absent) and its token count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(IReadOnlyList<string> labels, ReadOnlySpan<int> labelIds, int tokens)
    {
        for (var t = 0; t < tasks.Count; t++)
        {
            var id = labelIds[t];
            if (id < 0)
            {
                var counts = _counts[tasks[t]];
                counts[labels[t]] = counts.GetValueOrDefault(labels[t]) + 1;
                continue;
            }

            var byId = _byId[t];
            while (byId.Count <= id)
            {
                byId.Add(0);
                _labelOfId[t].Add("");
            }

            if (byId[id]++ == 0)
            {
                _labelOfId[t][id] = labels[t];
            }
        }

        _lengths.Add(tokens);
    }

    public SplitSummary ToSummary()
    {
        for (var t = 0; t < tasks.Count; t++)
        {
            var counts = _counts[tasks[t]];
            for (var id = 0; id < _byId[t].Count; id++)
            {
                if (_byId[t][id] > 0)
                {
                    var label = _labelOfId[t][id];
                    counts[label] = counts.GetValueOrDefault(label) + _byId[t][id];
                }
            }

            _byId[t].Clear();
            _labelOfId[t].Clear();
        }

        return new()
        {
            Rows = _lengths.Count,
            LabelCounts = _counts,
            TokenLengths = LengthStats.Of(_lengths),
        };
    }
}
