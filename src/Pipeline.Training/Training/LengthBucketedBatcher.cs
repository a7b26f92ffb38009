namespace Pipeline.Training.Training;

/// <summary>
/// Deterministic batch order with length bucketing: the epoch's shuffled rows are cut into
/// buckets of <c>batchSize × bucketBatches</c>, each bucket is sorted by length and split into
/// batches, and the batches are shuffled. Rows of similar length share a batch, so dynamic
/// padding pays for little padding. The order depends only on (seed, epoch).
/// </summary>
public static class LengthBucketedBatcher
{
    /// <summary>The batches (row indices) of <paramref name="epoch"/>.</summary>
    public static IReadOnlyList<int[]> Batches(IReadOnlyList<int> lengths, int batchSize, int bucketBatches, int seed, int epoch)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketBatches, 1);
        var random = new Random(StableSeed.Combine(seed, epoch, 0x5eed));
        var order = Enumerable.Range(0, lengths.Count).ToArray();
        random.Shuffle(order);
        var batches = new List<int[]>();
        foreach (var bucket in order.Chunk(batchSize * bucketBatches))
        {
            var sorted = bucket.OrderBy(i => lengths[i]).ThenBy(i => i).ToArray();
            batches.AddRange(sorted.Chunk(batchSize));
        }

        var shuffled = batches.ToArray();
        random.Shuffle(shuffled);
        return shuffled;
    }
}
