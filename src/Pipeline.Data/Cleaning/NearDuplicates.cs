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
    public static void Resolve(CleanState state, double threshold)
    {
        var count = state.CandidateCount;
        var parent = new int[count];
        for (var i = 0; i < count; i++)
        {
            parent[i] = i;
        }

        var buckets = new Dictionary<ulong, int>();
        for (var row = 0; row < count; row++)
        {
            if (state.IsRemoved(row))
            {
                continue;
            }

            var signature = state.Signature(row);
            for (var band = 0; band < MinHasher.Bands; band++)
            {
                var key = MinHasher.BandKey(signature, band);
                if (!buckets.TryAdd(key, row))
                {
                    var other = buckets[key];
                    if (MinHasher.Jaccard(state.Shingles(row), state.Shingles(other)) >= threshold)
                    {
                        Union(parent, row, other);
                    }
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

            var root = Find(parent, row);
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

    private static int Find(int[] parent, int x)
    {
        while (parent[x] != x)
        {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }

        return x;
    }

    private static void Union(int[] parent, int a, int b)
    {
        var (ra, rb) = (Find(parent, a), Find(parent, b));
        if (ra != rb)
        {
            parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
        }
    }
}
