namespace Pipeline.Training.Training;

/// <summary>
/// How a multitask run picks the task of each batch: by explicit mixture weights, or by pool
/// size raised to 1/<see cref="Temperature"/> (1 = proportional to the labelled rows, larger
/// values flatten towards uniform so small tasks are not drowned).
/// </summary>
public sealed record TaskSampling
{
    /// <summary>Sampling temperature. Default 1; within [1, 100].</summary>
    public double Temperature
    {
        get;
        init => field = value is >= 1 and <= 100 ? value : throw new ArgumentOutOfRangeException(nameof(Temperature), value, "Task sampling temperature must be within [1, 100].");
    } = 1.0;

    /// <summary>Explicit per-task weights (any positive scale); when set, <see cref="Temperature"/> is ignored. Default none.</summary>
    public IReadOnlyDictionary<string, double>? MixtureWeights
    {
        get;
        init
        {
            if (value is not null && value.Values.Any(w => !(w > 0) || double.IsInfinity(w)))
            {
                throw new ArgumentOutOfRangeException(nameof(MixtureWeights), "Mixture weights must be within (0, +Inf).");
            }

            field = value;
        }
    }

    /// <summary>The probability of each task given the number of rows labelled for it.</summary>
    public IReadOnlyDictionary<string, double> Probabilities(IReadOnlyDictionary<string, int> poolSizes)
    {
        ArgumentNullException.ThrowIfNull(poolSizes);
        var raw = poolSizes.Where(kv => kv.Value > 0).ToDictionary(
            kv => kv.Key,
            kv => MixtureWeights is null
                ? Math.Pow(kv.Value, 1.0 / Temperature)
                : MixtureWeights.TryGetValue(kv.Key, out var w) ? w : throw new ArgumentException($"Task '{kv.Key}' has no mixture weight; give one for every task.", nameof(poolSizes)),
            StringComparer.Ordinal);
        var total = raw.Values.Sum();
        return raw.ToDictionary(kv => kv.Key, kv => kv.Value / total, StringComparer.Ordinal);
    }
}
