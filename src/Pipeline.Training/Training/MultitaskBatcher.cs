namespace Pipeline.Training.Training;

/// <summary>
/// Batches for multitask training with task sampling: each batch comes from one task's pool
/// (the rows labelled for it, length-bucketed), the task drawn by <see cref="TaskSampling"/>.
/// An epoch has as many batches as plain batching would; a pool that runs out is reshuffled.
/// The order depends only on (seed, epoch).
/// </summary>
public static class MultitaskBatcher
{
    /// <summary>The batches (row indices) of <paramref name="epoch"/>.</summary>
    /// <param name="lengths">Token count of each row.</param>
    /// <param name="rowTasks">For each row, the tasks it carries a label for.</param>
    /// <param name="sampling">Mixture weights or temperature.</param>
    /// <param name="batchSize">Rows per batch.</param>
    /// <param name="bucketBatches">Batches per length bucket.</param>
    /// <param name="seed">Run seed.</param>
    /// <param name="epoch">Epoch index.</param>
    public static IReadOnlyList<int[]> Batches(
        IReadOnlyList<int> lengths, IReadOnlyList<IReadOnlyCollection<string>> rowTasks, TaskSampling sampling, int batchSize, int bucketBatches, int seed, int epoch)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        ArgumentNullException.ThrowIfNull(rowTasks);
        ArgumentNullException.ThrowIfNull(sampling);
        var pools = rowTasks
            .SelectMany((tasks, row) => tasks.Select(task => (task, row)))
            .GroupBy(x => x.task, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(x => x.row).ToArray(), StringComparer.Ordinal);
        var probabilities = sampling.Probabilities(pools.ToDictionary(kv => kv.Key, kv => kv.Value.Length, StringComparer.Ordinal));
        var names = probabilities.Keys.Order(StringComparer.Ordinal).ToArray();
        var queues = names.ToDictionary(n => n, _ => new Queue<int[]>(), StringComparer.Ordinal);
        var refills = names.ToDictionary(n => n, _ => 0, StringComparer.Ordinal);
        var random = new Random(StableSeed.Combine(seed, epoch, 0x7a5c));
        var count = (lengths.Count + batchSize - 1) / batchSize;
        var result = new List<int[]>(count);
        for (var i = 0; i < count; i++)
        {
            var draw = random.NextDouble();
            var task = names[^1];
            foreach (var name in names)
            {
                draw -= probabilities[name];
                if (draw < 0)
                {
                    task = name;
                    break;
                }
            }

            var queue = queues[task];
            if (queue.Count == 0)
            {
                var pool = pools[task];
                var poolLengths = pool.Select(r => lengths[r]).ToArray();
                var poolSeed = StableSeed.Combine(seed, refills[task]++, StableSeed.Of(task));
                foreach (var batch in LengthBucketedBatcher.Batches(poolLengths, batchSize, bucketBatches, poolSeed, epoch))
                {
                    queue.Enqueue(batch.Select(j => pool[j]).ToArray());
                }
            }

            result.Add(queue.Dequeue());
        }

        return result;
    }
}
