namespace Pipeline.Data.Cleaning;

/// <summary>Length statistics (characters or tokens).</summary>
public sealed record LengthStats(long Count, long Min, long Max, double Mean, long P50, long P95)
{
    /// <summary>Statistics of <paramref name="lengths"/> (sorted in place).</summary>
    public static LengthStats Of(List<int> lengths)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        if (lengths.Count == 0)
        {
            return new LengthStats(0, 0, 0, 0, 0, 0);
        }

        lengths.Sort();
        return new LengthStats(
            lengths.Count,
            lengths[0],
            lengths[^1],
            Math.Round(lengths.Average(), 2),
            lengths[(int)((lengths.Count - 1) * 0.5)],
            lengths[(int)((lengths.Count - 1) * 0.95)]);
    }
}
