namespace Pipeline.Configuration;

/// <summary>The <c>format</c> section: how text becomes token sequences (and images become pixel shards).</summary>
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

    /// <summary>Images only (ignored for text data): how images are sized in the shards.</summary>
    [ConfigDescription("Images only (ignored for text data): how images are sized in the shards.")]
    public ImageFormatOptions Image { get; init; } = new();
}

/// <summary>The <c>format.image</c> section: used when the data are images, ignored for text.</summary>
public sealed record ImageFormatOptions
{
    /// <summary>
    /// Each image's shorter side is scaled to this many pixels, then the centre square is cropped:
    /// shards hold <c>resize × resize</c> RGB bytes. Default 256 (for 224 × 224 crops in training); within [8, 2048].
    /// </summary>
    [ConfigDescription("Each image's shorter side is scaled to this many pixels, then the centre square is cropped: shards hold resize x resize RGB bytes. Default 256 (for 224 x 224 crops in training); within [8, 2048].")]
    [ConfigRange(Min = 8, Max = 2048)]
    public int Resize { get; init; } = 256;

    /// <summary>
    /// The square side the network sees: training takes random crops of this size (see
    /// <c>train.augment</c>), evaluation and serving the centre crop. Default 224, or
    /// <c>resize</c> when that is smaller; within [8, 2048] and at most <c>resize</c>.
    /// </summary>
    [ConfigDescription("The square side the network sees: training takes random crops of this size (see train.augment), evaluation and serving the centre crop. Default 224, or resize when that is smaller; within [8, 2048] and at most resize.")]
    [ConfigRange(Min = 8, Max = 2048)]
    public int? Size { get; init; }

    /// <summary><see cref="Size"/>, or its default: 224, or <see cref="Resize"/> when that is smaller.</summary>
    public int EffectiveSize => Size ?? Math.Min(224, Resize);
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
