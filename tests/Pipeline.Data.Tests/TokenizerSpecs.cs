using Pipeline.Configuration;
using Pipeline.Data.Tokenization;

namespace Pipeline.Data.Tests;

public sealed class TokenizerSpecs
{
    private static readonly WordPieceTokenizer Tokenizer = new(TempRepo.MiniLmVocab, lowercase: true);

    [Theory]
    [InlineData("hello world", new[] { 101, 7592, 2088, 102 })]
    [InlineData("Hello, World!", new[] { 101, 7592, 1010, 2088, 999, 102 })]
    [InlineData("unaffable", new[] { 101, 14477, 20961, 3468, 102 })]
    public void I_can_tokenise_known_strings_with_the_minilm_vocabulary(string text, int[] expected)
    {
        // Act
        var ids = Tokenizer.Encode(text, 128, TruncationSide.Tail, out var truncated);

        // Assert
        Assert.Equal(expected, ids);
        Assert.False(truncated);
    }

    [Fact]
    public void I_can_truncate_at_the_tail_or_the_head_and_keep_cls_and_sep()
    {
        // Act
        var tail = Tokenizer.Encode("one two three four five", 5, TruncationSide.Tail, out var cutTail);
        var head = Tokenizer.Encode("one two three four five", 5, TruncationSide.Head, out var cutHead);
        var full = Tokenizer.Encode("one two three four five", 128, TruncationSide.Tail, out _);

        // Assert
        Assert.True(cutTail && cutHead);
        Assert.Equal([101, full[1], full[2], full[3], 102], tail);
        Assert.Equal([101, full[3], full[4], full[5], 102], head);
    }
}
