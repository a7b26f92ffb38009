namespace Pipeline.Configuration;

/// <summary>
/// The <c>split</c> section: rows are assigned by hashing their normalised text with the salt,
/// so a row never moves between splits when data is added. <c>validation + test</c> must be &lt; 1.
/// </summary>
public sealed record SplitOptions
{
    /// <summary>Salt of the split hash. Default <c>v1</c>; changing it reshuffles every row.</summary>
    [ConfigDescription("Salt of the split hash. Default v1; changing it reshuffles every row, so don't once models are compared.")]
    public string Salt { get; init; } = "v1";

    /// <summary>Fraction of rows for validation. Default 0.1; within [0, 1), and validation + test &lt; 1.</summary>
    [ConfigDescription("Fraction of rows for validation. Default 0.1; within [0, 1), and validation + test < 1.")]
    [ConfigRange(Min = 0, Max = 1, MaxExclusive = true)]
    public double Validation { get; init; } = 0.1;

    /// <summary>Fraction of rows for test. Default 0.2; within [0, 1), and validation + test &lt; 1.</summary>
    [ConfigDescription("Fraction of rows for test. Default 0.2; within [0, 1), and validation + test < 1.")]
    [ConfigRange(Min = 0, Max = 1, MaxExclusive = true)]
    public double Test { get; init; } = 0.2;
}
