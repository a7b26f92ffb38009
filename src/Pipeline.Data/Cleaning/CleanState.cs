using System.Runtime.CompilerServices;
using Pipeline.Configuration;
using Pipeline.Data.Model;

namespace Pipeline.Data.Cleaning;

/// <summary>What Clean keeps in memory between its passes: a few hashes per row, never the texts.</summary>
internal sealed class CleanState(int taskCount, long expectedRows = 0)
{
    // Per-row lists are sized once from Ingest's row count: none grows by doubling (which briefly holds both copies).

    private readonly List<bool> _isCandidate = new(Rows(expectedRows));
    private readonly List<long> _rowIds = new(Rows(expectedRows));
    private readonly List<int> _labelKeys = new(Rows(expectedRows));
    private readonly List<int> _slots = new(Rows(expectedRows));
    private readonly List<(string Source, long Line)> _origins = new(Rows(expectedRows));
    // Per band, each distinct text's LSH band key (the signature itself is not needed once they are known).
    private readonly List<ulong>[] _bandKeys = [.. Enumerable.Range(0, MinHasher.Bands).Select(_ => new List<ulong>(Rows(expectedRows)))];
    private readonly List<uint> _shingles = [];
    private readonly List<int> _shingleStarts = [0];
    private readonly List<int> _textLengths = new(Rows(expectedRows));
    private readonly List<string[]> _keyLabels = [];
    private readonly Dictionary<string, int> _labelKeyIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _sources = new(StringComparer.Ordinal);
    private readonly Dictionary<UInt128, int> _firstOfText = new(Rows(expectedRows));
    private readonly Dictionary<int, List<int>> _sameText = [];
    private readonly Dictionary<int, Removal> _removals = [];
    private readonly Dictionary<int, long> _groups = [];
    private readonly SortedDictionary<string, long> _removedByReason = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedDictionary<string, long>> _labelCounts = new(StringComparer.Ordinal);
    private readonly List<int> _lengths = new(Rows(expectedRows));
    private readonly string[] _taskNames = new string[taskCount];
    private long _rowsIn;
    private long _conflictingTexts;
    private long _clustersKept;
    private long _clusterRowsKept;
    private byte[] _utf8 = new byte[1024];

    public void AddRemoved(string reason)
    {
        _rowsIn++;
        _isCandidate.Add(false);
        Count(reason);
    }

    /// <summary>Adds a row that passed the row rules; returns its row id.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public long AddCandidate(DataRecord record, string text, string[] labels, MinHasher? hasher)
    {
        _rowsIn++;
        _isCandidate.Add(true);
        var candidate = _rowIds.Count;
        var rowId = RowKeys.RowId(record.Id, text, ref _utf8);
        _rowIds.Add(rowId);
        _textLengths.Add(text.Length);
        var labelKey = labels.Length == 1 ? labels[0] : string.Join('\u001F', labels);
        if (!_labelKeyIds.TryGetValue(labelKey, out var keyId))
        {
            keyId = _labelKeyIds.Count;
            _labelKeyIds[labelKey] = keyId;
            _keyLabels.Add(labels);
        }

        _labelKeys.Add(keyId);
        if (!_sources.TryGetValue(record.Source, out var source))
        {
            _sources[record.Source] = source = record.Source;
        }

        _origins.Add((source, record.Line));
        var hash = RowKeys.TextHash(text, ref _utf8);
        if (_firstOfText.TryGetValue(hash, out var first))
        {
            if (!_sameText.TryGetValue(first, out var rows))
            {
                _sameText[first] = rows = [first];
            }

            rows.Add(candidate);
            _slots.Add(_slots[first]);
            return rowId;
        }

        _firstOfText[hash] = candidate;
        if (hasher is null)
        {
            _slots.Add(-1);
            return rowId;
        }

        var slot = _bandKeys[0].Count;
        Span<uint> signature = stackalloc uint[MinHasher.Size];
        _shingles.AddRange(hasher.SignUnsorted(text.AsSpan(), signature));
        for (var band = 0; band < MinHasher.Bands; band++)
        {
            _bandKeys[band].Add(MinHasher.BandKey(signature, band));
        }
        _shingleStarts.Add(_shingles.Count);

        _slots.Add(slot);
        return rowId;
    }

    public bool IsCandidate(int row) => _isCandidate[row];

    public long RowId(int candidate) => _rowIds[candidate];

    public long Group(int candidate) => _groups.TryGetValue(candidate, out var group) ? group : _rowIds[candidate];

    public (string Source, long Line) Origin(int candidate) => _origins[candidate];

    public Removal? RemovalOf(int candidate) => _removals.TryGetValue(candidate, out var removal) ? removal : null;

    public void Decide(CleanOptions options)
    {
        foreach (var (first, rows) in _sameText.OrderBy(p => p.Key))
        {
            ResolveSameText(rows, options.Conflicts);
        }

        if (options.NearDuplicates.Enabled)
        {
            NearDuplicates.Resolve(this, options.NearDuplicates.Threshold);
        }
    }

    public int CandidateCount => _rowIds.Count;

    public int LabelKey(int candidate) => _labelKeys[candidate];

    /// <summary><see cref="MinHasher.BandKey"/> of band <paramref name="band"/> of the candidate's signature.</summary>
    public ulong BandKey(int candidate, int band) => _bandKeys[band][_slots[candidate]];

    /// <summary>The candidate's shingle hashes in text order, repeats included (see <see cref="MinHasher.SortDistinct"/>).</summary>
    public ReadOnlySpan<uint> Shingles(int candidate)
    {
        var slot = _slots[candidate];
        return System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_shingles)[_shingleStarts[slot].._shingleStarts[slot + 1]];
    }

    public bool IsRemoved(int candidate) => _removals.ContainsKey(candidate);

    public void Remove(int candidate, string reason, string detail, int of)
    {
        _removals[candidate] = new Removal(reason, detail, of);
        Count(reason);
    }

    public void KeepInCluster(int candidate, int representative) => _groups[candidate] = _rowIds[representative];

    public void CountCluster(int rows)
    {
        _clustersKept++;
        _clusterRowsKept += rows;
    }

    /// <summary>Counts a kept candidate's labels and length.</summary>
    public void CountKept(int candidate)
    {
        var labels = _keyLabels[_labelKeys[candidate]];
        for (var t = 0; t < labels.Length; t++)
        {
            var task = _taskNames[t] ?? "";
            if (!_labelCounts.TryGetValue(task, out var counts))
            {
                _labelCounts[task] = counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
            }

            counts[labels[t]] = counts.GetValueOrDefault(labels[t]) + 1;
        }

        _lengths.Add(_textLengths[candidate]);
    }

    public CleanSummary Summarize(IReadOnlyList<string> tasks)
    {
        var removed = _removedByReason.Values.Sum();
        return new CleanSummary
        {
            Tasks = tasks,
            RowsIn = _rowsIn,
            RowsOut = _lengths.Count,
            Removed = removed,
            RemovedByReason = _removedByReason,
            ConflictingTexts = _conflictingTexts,
            NearDuplicateClustersKept = _clustersKept,
            NearDuplicateRowsKept = _clusterRowsKept,
            LabelCounts = _labelCounts,
            Lengths = LengthStats.Of(_lengths),
        };
    }

    public void NameTasks(IReadOnlyList<string> tasks)
    {
        for (var t = 0; t < _taskNames.Length; t++)
        {
            _taskNames[t] = tasks[t];
        }
    }

    private void ResolveSameText(List<int> rows, LabelConflictPolicy policy)
    {
        var counts = rows.GroupBy(r => _labelKeys[r]).Select(g => (Key: g.Key, Count: g.Count(), First: g.Min())).OrderByDescending(g => g.Count).ThenBy(g => g.First).ToList();
        if (counts.Count == 1)
        {
            foreach (var row in rows.Skip(1))
            {
                Remove(row, RejectReasons.ExactDuplicate, "Same text as a row kept earlier.", rows[0]);
            }

            return;
        }

        _conflictingTexts++;
        var tie = counts[0].Count == counts[1].Count;
        if (policy == LabelConflictPolicy.Fail)
        {
            var (a, b) = (_origins[counts[0].First], _origins[counts[1].First]);
            throw new LabelConflictException($"The same text has different labels at {a.Source}:{a.Line} and {b.Source}:{b.Line} (and {rows.Count - 2} more rows). Fix the labels, or set clean.conflicts to drop or majority.");
        }

        if (policy == LabelConflictPolicy.Drop || tie)
        {
            var why = tie ? "No majority label among rows with this text (a tie); all are dropped." : "Rows with this text disagree on the label (clean.conflicts: drop).";
            foreach (var row in rows)
            {
                Remove(row, RejectReasons.ConflictingLabels, why, row);
            }

            return;
        }

        var kept = counts[0].First;
        foreach (var row in rows.Where(r => r != kept))
        {
            if (_labelKeys[row] == counts[0].Key)
            {
                Remove(row, RejectReasons.ExactDuplicate, "Same text as a row kept earlier.", kept);
            }
            else
            {
                Remove(row, RejectReasons.ConflictMinority, $"The majority of the {rows.Count} rows with this text have another label (clean.conflicts: majority).", kept);
            }
        }
    }

    private static int Rows(long expectedRows) => (int)Math.Clamp(expectedRows, 0, int.MaxValue / MinHasher.Size);

    private void Count(string reason) => _removedByReason[reason] = _removedByReason.GetValueOrDefault(reason) + 1;

    internal sealed record Removal(string Reason, string Detail, int Of);
}
