using Pipeline.Configuration;
using Pipeline.Data.Images;
using Pipeline.Data.Model;

namespace Pipeline.Data.Cleaning;

/// <summary>What <see cref="ImageCleaner"/> keeps in memory between its passes: a few hashes per row, never the pixels.</summary>
internal sealed class ImageRows
{
    private readonly List<bool> _isCandidate = [];
    private readonly List<long> _rowIds = [];
    private readonly List<int> _labelKeys = [];
    private readonly List<UInt128> _contents = [];
    private readonly List<ulong> _differences = [];
    private readonly List<byte> _thumbnails = [];
    private readonly List<(string Source, long Line)> _origins = [];
    private readonly Dictionary<string, int> _labelKeyIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _sources = new(StringComparer.Ordinal);
    private readonly Dictionary<int, Removal> _removals = [];
    private readonly Dictionary<int, long> _groups = [];
    private readonly SortedDictionary<string, long> _removedByReason = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedDictionary<string, long>> _labelCounts = new(StringComparer.Ordinal);
    private IReadOnlyList<string> _tasks = [];
    private long _rowsIn;
    private long _rowsOut;
    private long _conflicts;
    private long _clusters;
    private long _clusterRows;

    public void AddRemoved(string reason)
    {
        _rowsIn++;
        _isCandidate.Add(false);
        Count(reason);
    }

    public void AddCandidate(long rowId, string[] labels, UInt128 content, ulong difference, byte[] thumbnail, string source, long line)
    {
        _rowsIn++;
        _isCandidate.Add(true);
        _rowIds.Add(rowId);
        var key = string.Join('\u001F', labels);
        if (!_labelKeyIds.TryGetValue(key, out var id))
        {
            _labelKeyIds[key] = id = _labelKeyIds.Count;
        }

        _labelKeys.Add(id);
        _contents.Add(content);
        _differences.Add(difference);
        _thumbnails.AddRange(thumbnail);
        if (!_sources.TryGetValue(source, out var interned))
        {
            _sources[source] = interned = source;
        }

        _origins.Add((interned, line));
    }

    public bool IsCandidate(int row) => _isCandidate[row];

    public long RowId(int candidate) => _rowIds[candidate];

    public long Group(int candidate) => _groups.TryGetValue(candidate, out var group) ? group : _rowIds[candidate];

    public (string Source, long Line) Origin(int candidate) => _origins[candidate];

    public Removal? RemovalOf(int candidate) => _removals.TryGetValue(candidate, out var removal) ? removal : null;

    /// <summary>Identical pixels: one row kept per label set, conflicts by <paramref name="policy"/> (as for identical texts).</summary>
    public void ResolveExact(LabelConflictPolicy policy)
    {
        var byContent = new Dictionary<UInt128, List<int>>();
        for (var row = 0; row < _contents.Count; row++)
        {
            if (!byContent.TryGetValue(_contents[row], out var rows))
            {
                byContent[_contents[row]] = rows = [];
            }

            rows.Add(row);
        }

        foreach (var rows in byContent.Values.Where(r => r.Count > 1).OrderBy(r => r[0]))
        {
            var counts = rows.GroupBy(r => _labelKeys[r]).Select(g => (Key: g.Key, Count: g.Count(), First: g.Min())).OrderByDescending(g => g.Count).ThenBy(g => g.First).ToList();
            if (counts.Count == 1)
            {
                foreach (var row in rows.Skip(1))
                {
                    Remove(row, RejectReasons.ExactDuplicate, "The same image (identical pixels) as a row kept earlier.", rows[0]);
                }

                continue;
            }

            _conflicts++;
            var tie = counts[0].Count == counts[1].Count;
            if (policy == LabelConflictPolicy.Fail)
            {
                var (a, b) = (_origins[counts[0].First], _origins[counts[1].First]);
                throw new LabelConflictException($"The same image has different labels at {a.Source}:{a.Line} and {b.Source}:{b.Line} (and {rows.Count - 2} more rows). Fix the labels, or set clean.conflicts to drop or majority.");
            }

            if (policy == LabelConflictPolicy.Drop || tie)
            {
                var why = tie ? "No majority label among rows with this image (a tie); all are dropped." : "Rows with this image disagree on the label (clean.conflicts: drop).";
                foreach (var row in rows)
                {
                    Remove(row, RejectReasons.ConflictingLabels, why, row);
                }

                continue;
            }

            var kept = counts[0].First;
            foreach (var row in rows.Where(r => r != kept))
            {
                if (_labelKeys[row] == counts[0].Key)
                {
                    Remove(row, RejectReasons.ExactDuplicate, "The same image (identical pixels) as a row kept earlier.", kept);
                }
                else
                {
                    Remove(row, RejectReasons.ConflictMinority, $"The majority of the {rows.Count} rows with this image have another label (clean.conflicts: majority).", kept);
                }
            }
        }
    }

    /// <summary>
    /// Groups kept rows whose dHashes differ in at most <paramref name="distance"/> bits and whose thumbnails
    /// differ by at most <paramref name="difference"/> grey levels on average (union-find; the earliest row
    /// represents a cluster). Pairs are found by multi-index hashing: the 64 bits are cut into
    /// <c>distance + 1</c> bands, and two hashes that close agree exactly on at least one band.
    /// </summary>
    public void GroupNear(int distance, double difference)
    {
        var thumbnails = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_thumbnails);
        const int Side = ImageHashes.ThumbnailSide * ImageHashes.ThumbnailSide;
        var count = _rowIds.Count;
        var parent = new int[count];
        for (var i = 0; i < count; i++)
        {
            parent[i] = i;
        }

        var bands = Math.Min(distance + 1, 64);
        var buckets = new Dictionary<ulong, List<int>>();
        for (var band = 0; band < bands; band++)
        {
            var from = band * 64 / bands;
            var to = (band + 1) * 64 / bands;
            var mask = to - from == 64 ? ulong.MaxValue : ((1UL << (to - from)) - 1) << from;
            buckets.Clear();
            for (var row = 0; row < count; row++)
            {
                if (_removals.ContainsKey(row))
                {
                    continue;
                }

                var key = _differences[row] & mask;
                if (!buckets.TryGetValue(key, out var earlier))
                {
                    buckets[key] = earlier = [];
                }

                foreach (var other in earlier)
                {
                    if (ImageHashes.Distance(_differences[row], _differences[other]) <= distance
                        && DisjointSets.Find(parent, row) != DisjointSets.Find(parent, other)
                        && ImageHashes.ThumbnailDifference(thumbnails.Slice(row * Side, Side), thumbnails.Slice(other * Side, Side)) <= difference)
                    {
                        DisjointSets.Union(parent, row, other);
                    }
                }

                earlier.Add(row);
            }
        }

        var sizes = new Dictionary<int, int>();
        for (var row = 0; row < count; row++)
        {
            if (_removals.ContainsKey(row))
            {
                continue;
            }

            var root = DisjointSets.Find(parent, row);
            if (root != row)
            {
                _groups[row] = _rowIds[root];
                sizes[root] = sizes.GetValueOrDefault(root, 1) + 1;
            }
        }

        _clusters = sizes.Count;
        _clusterRows = sizes.Values.Sum();
    }

    public void CountKept(string[] labels)
    {
        _rowsOut++;
        for (var t = 0; t < labels.Length; t++)
        {
            var task = t < _tasks.Count ? _tasks[t] : "";
            if (!_labelCounts.TryGetValue(task, out var counts))
            {
                _labelCounts[task] = counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
            }

            counts[labels[t]] = counts.GetValueOrDefault(labels[t]) + 1;
        }
    }

    public void NameTasks(IReadOnlyList<string> tasks) => _tasks = tasks;

    public CleanSummary Summarize(IReadOnlyList<string> tasks) => new()
    {
        Tasks = tasks,
        Modality = DataModality.Image,
        RowsIn = _rowsIn,
        RowsOut = _rowsOut,
        Removed = _removedByReason.Values.Sum(),
        RemovedByReason = _removedByReason,
        ConflictingTexts = _conflicts,
        NearDuplicateClustersKept = _clusters,
        NearDuplicateRowsKept = _clusterRows,
        LabelCounts = _labelCounts,
        Lengths = LengthStats.Of([]),
    };

    private void Remove(int candidate, string reason, string detail, int of)
    {
        _removals[candidate] = new Removal(reason, detail, of);
        Count(reason);
    }

    private void Count(string reason) => _removedByReason[reason] = _removedByReason.GetValueOrDefault(reason) + 1;

    internal sealed record Removal(string Reason, string Detail, int Of);
}
