using Pipeline.Configuration;

namespace Pipeline.Evaluation.Statistics;

/// <summary>
/// Paired bootstrap of the difference challenger − champion in a metric: each resample draws n
/// row indices with replacement and scores both models on the same indices; the interval is the
/// percentile interval of the differences (linear interpolation between order statistics, as
/// numpy's default quantile).
/// </summary>
internal static class PairedBootstrap
{
    /// <summary>The percentile interval of challenger − champion for each metric, all from one stream of resamples.</summary>
    public static IReadOnlyDictionary<string, ConfidenceInterval> Differences(
        ScoredRows champion, ScoredRows challenger, IReadOnlyList<string> metrics, BootstrapOptions settings)
    {
        Validate(settings);
        var n = champion.Count;
        var rng = new Xoshiro256StarStar(unchecked((ulong)settings.Seed));
        var positions = metrics.Select(m => MetricNames.All.ToList().IndexOf(m) is var p and >= 0 ? p : throw MetricNames.Unknown(m)).ToArray();
        var diffs = metrics.ToDictionary(m => m, _ => new double[settings.Resamples], StringComparer.Ordinal);
        var indices = new int[n];
        var championValues = new double[MetricNames.All.Count];
        var challengerValues = new double[MetricNames.All.Count];
        for (var r = 0; r < settings.Resamples; r++)
        {
            for (var i = 0; i < n; i++)
            {
                indices[i] = rng.NextInt(n);
            }

            MetricCalculator.ScalarAll(champion, indices, championValues);
            MetricCalculator.ScalarAll(challenger, indices, challengerValues);
            for (var m = 0; m < metrics.Count; m++)
            {
                diffs[metrics[m]][r] = challengerValues[positions[m]] - championValues[positions[m]];
            }
        }

        var alpha = 1 - settings.Confidence;
        return diffs.ToDictionary(
            kv => kv.Key,
            kv =>
            {
                Array.Sort(kv.Value);
                return new ConfidenceInterval(Quantile(kv.Value, alpha / 2), Quantile(kv.Value, 1 - (alpha / 2)), settings.Confidence);
            },
            StringComparer.Ordinal);
    }

    /// <summary>Throws when <c>evaluate.bootstrap</c> is out of its documented range.</summary>
    internal static void Validate(BootstrapOptions settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Resamples < 100)
        {
            throw new EvaluationException($"evaluate.bootstrap.resamples is {settings.Resamples}; it must be at least 100 (2000 is the default).");
        }

        if (!(settings.Confidence > 0 && settings.Confidence < 1))
        {
            throw new EvaluationException($"evaluate.bootstrap.confidence is {settings.Confidence}; it must be within (0, 1), e.g. 0.95.");
        }
    }

    /// <summary>The q-quantile of sorted values, linearly interpolated at position q·(n − 1).</summary>
    internal static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        var fraction = position - lower;
        return sorted[lower] + (fraction * (sorted[upper] - sorted[lower]));
    }
}
