using FastBertTokenizer;

namespace Pipeline.Serving.Internal;

/// <summary>
/// A WordPiece tokenizer over a model folder's <c>vocab.txt</c> that turns a batch of texts into
/// row-major int64 <c>input_ids</c>, <c>attention_mask</c> and <c>token_type_ids</c>, padded to the
/// longest text in the batch. A text longer than the limit loses its end, or with
/// <c>truncateHead</c> its start, as the data stages' tokenizer cuts it for training.
/// Safe to call from several threads (the tokenizer itself is not).
/// </summary>
internal sealed class WordPieceEncoder
{
    /// <summary>The longest text tokenized before truncation when the start is cut (the data stages' limit too).</summary>
    private const int MaxInputTokens = 16384;

    private readonly BertTokenizer _tokenizer;
    private readonly Lock _lock = new();
    private readonly int _maxTokens;
    private readonly bool _truncateHead;

    private WordPieceEncoder(BertTokenizer tokenizer, int maxTokens, bool truncateHead)
    {
        _tokenizer = tokenizer;
        _maxTokens = maxTokens;
        _truncateHead = truncateHead;
    }

    /// <summary>Loads <paramref name="vocabPath"/>; throws <see cref="ServingException"/> when it is missing.</summary>
    public static WordPieceEncoder Load(string vocabPath, bool lowercase, int maxTokens, bool truncateHead = false)
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
        return new WordPieceEncoder(tokenizer, maxTokens, truncateHead);
    }

    /// <summary>Token ids, mask and token types [texts, width], row-major; width is the longest encoding.</summary>
    public (long[] Ids, long[] Mask, long[] Types, int Width) Encode(IReadOnlyList<string> texts)
    {
        var encoded = new (long[] Ids, long[] Types)[texts.Count];
        lock (_lock)
        {
            for (var i = 0; i < texts.Count; i++)
            {
                encoded[i] = _truncateHead ? EncodeKeepingEnd(texts[i]) : EncodeKeepingStart(texts[i]);
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

    private (long[] Ids, long[] Types) EncodeKeepingStart(string text)
    {
        var (ids, _, types) = _tokenizer.Encode(text, _maxTokens);
        return (ids.ToArray(), types.ToArray());
    }

    /// <summary>[CLS], the last <c>maxTokens - 2</c> word pieces, [SEP].</summary>
    private (long[] Ids, long[] Types) EncodeKeepingEnd(string text)
    {
        var all = _tokenizer.Encode(text, MaxInputTokens).InputIds.Span;
        if (all.Length <= _maxTokens)
        {
            return (all.ToArray(), new long[all.Length]);
        }

        var ids = new long[_maxTokens];
        ids[0] = all[0];
        ids[^1] = all[^1];
        all[1..^1][^(_maxTokens - 2)..].CopyTo(ids.AsSpan(1));
        return (ids, new long[_maxTokens]);
    }
}
