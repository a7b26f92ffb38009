using FastBertTokenizer;

namespace Pipeline.Serving.Internal;

/// <summary>
/// A WordPiece tokenizer over a model folder's <c>vocab.txt</c> that turns a batch of texts into
/// row-major int64 <c>input_ids</c>, <c>attention_mask</c> and <c>token_type_ids</c>, padded to the
/// longest text in the batch. Safe to call from several threads (the tokenizer itself is not).
/// </summary>
internal sealed class WordPieceEncoder
{
    private readonly BertTokenizer _tokenizer;
    private readonly Lock _lock = new();
    private readonly int _maxTokens;

    private WordPieceEncoder(BertTokenizer tokenizer, int maxTokens)
    {
        _tokenizer = tokenizer;
        _maxTokens = maxTokens;
    }

    /// <summary>Loads <paramref name="vocabPath"/>; throws <see cref="ServingException"/> when it is missing.</summary>
    public static WordPieceEncoder Load(string vocabPath, bool lowercase, int maxTokens)
    {
        if (!File.Exists(vocabPath))
        {
            throw new ServingException($"The model folder has no vocab.txt at {vocabPath}: copy the base model's WordPiece vocabulary there.");
        }

        // vocab.txt files from Windows-built hubs (MiniLM's among them) end lines with CRLF; the
        // tokenizer would keep the '\r' in every token, so normalise before loading.
        var text = File.ReadAllText(vocabPath).Replace("\r\n", "\n", StringComparison.Ordinal);
        var tokenizer = new BertTokenizer();
        using var reader = new StringReader(text);
        tokenizer.LoadVocabulary(reader, lowercase);
        return new WordPieceEncoder(tokenizer, maxTokens);
    }

    /// <summary>Token ids, mask and token types [texts, width], row-major; width is the longest encoding.</summary>
    public (long[] Ids, long[] Mask, long[] Types, int Width) Encode(IReadOnlyList<string> texts)
    {
        var encoded = new (long[] Ids, long[] Types)[texts.Count];
        lock (_lock)
        {
            for (var i = 0; i < texts.Count; i++)
            {
                var (ids, _, types) = _tokenizer.Encode(texts[i], _maxTokens);
                encoded[i] = (ids.ToArray(), types.ToArray());
            }
        }

        var width = encoded.Max(e => e.Ids.Length);
        var allIds = new long[texts.Count * width];
        var allMask = new long[texts.Count * width];
        var allTypes = new long[texts.Count * width];
        for (var i = 0; i < texts.Count; i++)
        {
            var (ids, types) = encoded[i];
            ids.CopyTo(allIds, i * width);
            types.CopyTo(allTypes, i * width);
            allMask.AsSpan(i * width, ids.Length).Fill(1);
        }

        return (allIds, allMask, allTypes, width);
    }
}
