namespace Pipeline.Training.Lora;

/// <summary>LoRA settings (<c>train.lora</c> in <c>pipeline.yaml</c>); validated when built.</summary>
public sealed record LoraOptions
{
    /// <summary>Adapter rank r. Default 8; within [1, 1024].</summary>
    public int Rank
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(Rank));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1024, nameof(Rank));
            field = value;
        }
    } = 8;

    /// <summary>Scaling numerator: the update is scaled by alpha / rank. Default 16; within (0, +Inf).</summary>
    public double Alpha
    {
        get;
        init
        {
            if (!(value > 0) || double.IsInfinity(value))
            {
                throw new ArgumentOutOfRangeException(nameof(Alpha), value, "LoRA alpha must be within (0, +Inf).");
            }

            field = value;
        }
    } = 16;

    /// <summary>Dropout on the adapter's input path. Default 0.05; within [0, 1).</summary>
    public double Dropout
    {
        get;
        init
        {
            if (value is < 0 or >= 1)
            {
                throw new ArgumentOutOfRangeException(nameof(Dropout), value, "LoRA dropout must be within [0, 1).");
            }

            field = value;
        }
    } = 0.05;

    /// <summary>
    /// Projection names to adapt, matched against the last segment of each projection's name
    /// (<c>query</c>, <c>key</c>, <c>value</c>, <c>dense</c>). Default query and value; not empty.
    /// </summary>
    public IReadOnlyList<string> TargetModules
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Count == 0)
            {
                throw new ArgumentException("LoRA needs at least one target module (query, key, value, dense).", nameof(TargetModules));
            }

            field = value;
        }
    } = ["query", "value"];

    /// <summary>alpha / rank.</summary>
    public double Scaling => Alpha / Rank;
}
