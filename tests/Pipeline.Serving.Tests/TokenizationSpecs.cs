using Pipeline.Serving.Internal;
using Pipeline.Serving.Models;

namespace Pipeline.Serving.Tests;

/// <summary>The service tokenises as the model folder's model.json says training did.</summary>
public sealed class TokenizationSpecs : IDisposable
{
    private static readonly string[] Vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "one", "two", "three", "four", "five", "six"];
    private readonly string _folder = Directory.CreateTempSubdirectory("tokenization-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void I_can_have_a_long_text_lose_its_start_when_the_model_was_trained_with_head_truncation()
    {
        // Arrange
        var vocab = Path.Combine(_folder, "vocab.txt");
        File.WriteAllLines(vocab, Vocabulary);
        File.WriteAllText(Path.Combine(_folder, ModelManifest.MetadataFile), """{"max_sequence_length": 5, "lowercase": true, "truncation": "head"}""");
        var manifest = ModelManifest.Read(_folder);

        // Act
        var head = WordPieceEncoder.Load(vocab, manifest.Lowercase!.Value, manifest.MaxSequenceLength!.Value, manifest.TruncateHead);
        var tail = WordPieceEncoder.Load(vocab, lowercase: true, maxTokens: 5);
        var (headIds, _, _, headWidth) = head.Encode(["one two three four five six"]);
        var (tailIds, _, _, tailWidth) = tail.Encode(["one two three four five six"]);

        // Assert: [CLS] four five six [SEP] against [CLS] one two three [SEP].
        Assert.True(manifest.TruncateHead);
        Assert.Equal(5, headWidth);
        Assert.Equal([2L, 7, 8, 9, 3], headIds);
        Assert.Equal(5, tailWidth);
        Assert.Equal([2L, 4, 5, 6, 3], tailIds);
    }

    [Fact]
    public void I_can_have_short_texts_untouched_by_head_truncation_and_get_an_error_for_an_unknown_side()
    {
        // Arrange
        var vocab = Path.Combine(_folder, "vocab.txt");
        File.WriteAllLines(vocab, Vocabulary);
        var encoder = WordPieceEncoder.Load(vocab, lowercase: true, maxTokens: 5, truncateHead: true);
        File.WriteAllText(Path.Combine(_folder, ModelManifest.MetadataFile), """{"truncation": "middle"}""");

        // Act
        var (ids, mask, _, width) = encoder.Encode(["two", "one two three"]);
        var error = Assert.Throws<ServingException>(() => ModelManifest.Read(_folder));

        // Assert
        Assert.Equal(5, width);
        Assert.Equal([2L, 5, 3, 0, 0, 2, 4, 5, 6, 3], ids);
        Assert.Equal([1L, 1, 1, 0, 0, 1, 1, 1, 1, 1], mask);
        Assert.Contains("truncation is 'middle'", error.Message, StringComparison.Ordinal);
    }
}
