using System.Runtime.CompilerServices;
using FastBertTokenizer;
using Pipeline.Configuration;

namespace Pipeline.Data.Tokenization;

/// <summary>
/// BERT WordPiece tokenisation (FastBertTokenizer) with the pipeline's truncation: ids start with
/// <c>[CLS]</c> and end with <c>[SEP]</c>; <see cref="TruncationSide.Tail"/> drops the end,
/// <see cref="TruncationSide.Head"/> the start. One instance per thread: FastBertTokenizer
/// reuses its buffers between calls.
/// </summary>
public sealed class WordPieceTokenizer
{
    private const int MaxInputTokens = 16384;
    private readonly BertTokenizer _tokenizer = new();

    /// <summary>Loads <paramref name="vocabPath"/> (LF or CRLF line endings).</summary>
    public WordPieceTokenizer(string vocabPath, bool lowercase)
    {
        var text = File.ReadAllText(vocabPath).Replace("\r\n", "\n", StringComparison.Ordinal);
        using var reader = new StringReader(text);
        _tokenizer.LoadVocabulary(reader, lowercase);
    }

    /// <summary>The token ids of <paramref name="text"/>, at most <paramref name="maxLength"/> (≥ 2) including <c>[CLS]</c> and <c>[SEP]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int[] Encode(string text, int maxLength, TruncationSide truncation, out bool truncated)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        var ids = _tokenizer.Encode(text, MaxInputTokens).InputIds.Span;
        truncated = ids.Length > maxLength;
        var length = Math.Min(ids.Length, maxLength);
        var result = new int[length];
        if (!truncated)
        {
            for (var i = 0; i < length; i++)
            {
                result[i] = (int)ids[i];
            }

            return result;
        }

        result[0] = (int)ids[0];
        result[^1] = (int)ids[^1];
        var body = ids[1..^1];
        var keep = truncation == TruncationSide.Tail ? body[..(maxLength - 2)] : body[^(maxLength - 2)..];
        for (var i = 0; i < keep.Length; i++)
        {
            result[i + 1] = (int)keep[i];
        }

        return result;
    }
}
