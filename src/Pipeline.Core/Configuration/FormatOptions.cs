namespace Pipeline.Configuration;

/// <summary>The <c>format</c> section: how text becomes token sequences.</summary>
public sealed record FormatOptions
{
    /// <summary>Maximum tokens per sequence, special tokens included. Default 128; within [8, 8192].</summary>
    [ConfigDescription("Maximum tokens per sequence, special tokens included. Default 128; within [8, 8192].")]
    [ConfigRange(Min = 8, Max = 8192)]
    public int MaxLength { get; init; } = 128;

    /// <summary>Which end of a long text is cut. Default <c>tail</c>.</summary>
    [ConfigDescription("Which end of a long text is cut: tail (drop the end) or head (drop the start). Default tail.")]
    public TruncationSide Truncation { get; init; } = TruncationSide.Tail;

    /// <summary>How sequences are padded. Default <c>dynamic</c>.</summary>
    [ConfigDescription("How sequences are padded: dynamic (to the longest in a batch) or max_length. Default dynamic.")]
    public PaddingStrategy Padding { get; init; } = PaddingStrategy.Dynamic;
}

/// <summary>Which end of a too-long sequence is dropped.</summary>
public enum TruncationSide
{
    /// <summary>Drop the end.</summary>
    Tail,

    /// <summary>Drop the start.</summary>
    Head,
}

/// <summary>How token sequences are padded.</summary>
public enum PaddingStrategy
{
    /// <summary>Pad to the longest sequence in each batch.</summary>
    Dynamic,

    /// <summary>Pad every sequence to <c>format.max_length</c>.</summary>
    MaxLength,
}
