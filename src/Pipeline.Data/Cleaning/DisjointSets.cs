namespace Pipeline.Data.Cleaning;

/// <summary>
/// Union-find over row indices (<c>parent[i] == i</c> for a root): the near-duplicate clusters of
/// text and image rows. The smaller index becomes the root, so a cluster's representative is its first row.
/// </summary>
internal static class DisjointSets
{
    /// <summary>The root of <paramref name="x"/>'s set, halving the path on the way.</summary>
    public static int Find(int[] parent, int x)
    {
        while (parent[x] != x)
        {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }

        return x;
    }

    /// <summary>Joins the sets of <paramref name="a"/> and <paramref name="b"/> under the smaller root.</summary>
    public static void Union(int[] parent, int a, int b)
    {
        var (ra, rb) = (Find(parent, a), Find(parent, b));
        if (ra != rb)
        {
            parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
        }
    }
}
