namespace Pipeline.Registry;

/// <summary>One <c>runs/log-batch</c> request's worth of entities.</summary>
public sealed record LogBatchChunk(IReadOnlyList<Metric> Metrics, IReadOnlyList<Param> Params, IReadOnlyList<RunTag> Tags);

/// <summary>
/// Splits a batch into requests within MLflow's limits (<c>validation.py</c>): at most 1,000
/// metrics, 100 params, 100 tags and 1,000 entities in total per request.
/// </summary>
public static class LogBatchChunker
{
    /// <summary>Most metrics per request.</summary>
    public const int MaxMetrics = 1000;

    /// <summary>Most params per request.</summary>
    public const int MaxParams = 100;

    /// <summary>Most tags per request.</summary>
    public const int MaxTags = 100;

    /// <summary>Most entities of all kinds per request.</summary>
    public const int MaxEntities = 1000;

    /// <summary>Params first, then tags, then metrics fill what is left of each request.</summary>
    public static IReadOnlyList<LogBatchChunk> Chunk(IReadOnlyList<Metric> metrics, IReadOnlyList<Param> @params, IReadOnlyList<RunTag> tags)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(@params);
        ArgumentNullException.ThrowIfNull(tags);
        var chunks = new List<LogBatchChunk>();
        int m = 0, p = 0, t = 0;
        while (m < metrics.Count || p < @params.Count || t < tags.Count)
        {
            var takeParams = Math.Min(MaxParams, @params.Count - p);
            var takeTags = Math.Min(MaxTags, tags.Count - t);
            var takeMetrics = Math.Min(Math.Min(MaxMetrics, MaxEntities - takeParams - takeTags), metrics.Count - m);
            chunks.Add(new LogBatchChunk(
                metrics.Skip(m).Take(takeMetrics).ToList(),
                @params.Skip(p).Take(takeParams).ToList(),
                tags.Skip(t).Take(takeTags).ToList()));
            m += takeMetrics;
            p += takeParams;
            t += takeTags;
        }

        return chunks;
    }
}
