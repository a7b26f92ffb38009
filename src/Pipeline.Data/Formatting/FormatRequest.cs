using Pipeline.Configuration;

namespace Pipeline.Data.Formatting;

/// <summary>What Format needs besides the <c>split</c> and <c>format</c> sections.</summary>
public sealed record FormatRequest
{
    /// <summary>Clean's output folder.</summary>
    public required string CleanDirectory { get; init; }

    /// <summary>Usually <c>artifacts/format</c>.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>The WordPiece <c>vocab.txt</c>; required for text data, unused (may be null) for image data.</summary>
    public string? VocabularyPath { get; init; }

    /// <summary>Whether the model lower-cases its input (uncased BERT/MiniLM: true).</summary>
    public bool Lowercase { get; init; } = true;

    /// <summary>The <c>split</c> section.</summary>
    public SplitOptions Split { get; init; } = new();

    /// <summary>The <c>format</c> section.</summary>
    public FormatOptions Format { get; init; } = new();
}
