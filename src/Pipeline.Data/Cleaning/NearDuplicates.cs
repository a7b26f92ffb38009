using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Pipeline.Data.Model;

namespace Pipeline.Data.Cleaning;

/// <summary>
/// Near-duplicates by MinHash LSH: rows sharing a band bucket with an earlier row are compared by
/// exact Jaccard over their shingle hashes; pairs at or above the threshold join one cluster (union-find, the earliest row
/// represents it). A member with the representative's labels is removed; one with other labels is
/// kept but grouped with the representative so that Format puts the whole cluster in one split.
/// </summary>
internal static class NearDuplicates
{
    // Called once per run over every row: compile it optimised at once rather than through tier 0 and OSR.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Resolve(CleanState state, double threshold)
    {
        var count = state.CandidateCount;
        var parent = new int[count];
        for (var i = 0; i < count; i++)
        {
            parent[i] = i;
        }

        // One band at a time, so that the bucket table holds one key per row rather than Bands.
        // The pairs compared (each row with the earliest row sharing its key in some band) are the
        // same as in any other order, and the clusters do not depend on the order of the unions.
        var buckets = new Dictionary<ulong, int>(count);
        uint[] x = [], y = [];
        for (var band = 0; band < MinHasher.Bands; band++)
        {
            buckets.Clear();
            for (var row = 0; row < count; row++)
            {
                if (state.IsRemoved(row))
                {
                    continue;
                }

                ref var first = ref CollectionsMarshal.GetValueRefOrAddDefault(buckets, state.BandKey(row, band), out var exists);
                if (!exists)
                {
                    first = row;
                }
                else if (MinHasher.Jaccard(Set(state.Shingles(row), ref x), Set(state.Shingles(first), ref y)) >= threshold)
                {
                    DisjointSets.Union(parent, row, first);
                }
            }
        }

        var mixed = new Dictionary<int, int>();
        for (var row = 0; row < count; row++)
        {
            if (state.IsRemoved(row))
            {
                continue;
            }

            var root = DisjointSets.Find(parent, row);
            if (root == row)
            {
                continue;
            }

            if (state.LabelKey(row) == state.LabelKey(root))
            {
                state.Remove(row, RejectReasons.NearDuplicate, "Nearly the same text as a row kept earlier (MinHash Jaccard at or above clean.near_duplicates.threshold).", root);
            }
            else
            {
                state.KeepInCluster(row, root);
                mixed[root] = mixed.GetValueOrDefault(root, 1) + 1;
            }
        }

        foreach (var rows in mixed.Values)
        {
            state.CountCluster(rows);
        }
    }

    // The shingle hashes as a sorted set, in scratch.
    private static ReadOnlySpan<uint> Set(ReadOnlySpan<uint> hashes, ref uint[] scratch)
    {
        if (scratch.Length < hashes.Length)
        {
            scratch = new uint[Math.Max(hashes.Length, scratch.Length * 2)];
        }

        var set = scratch.AsSpan(0, hashes.Length);
        hashes.CopyTo(set);
        return set[..MinHasher.SortDistinct(set)];
    }
}
