using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Tokenizers.DotNet;

namespace Pipeline.Benchmarks.Data;

/// <summary>
/// Hugging Face's Rust tokenizers through Tokenizers.DotNet, with a BERT uncased
/// <c>tokenizer.json</c> (BertNormalizer, BertPreTokenizer, WordPiece, [CLS] … [SEP],
/// right truncation) built from the same vocab.txt our tokenizer reads.
/// </summary>
internal sealed class HfTokenizerPeer : IDisposable
{
    private readonly Tokenizer _tokenizer;

    public HfTokenizerPeer(string vocabPath, string workDirectory, int maxLength)
    {
        var json = Path.Combine(workDirectory, "tokenizer.json");
        File.WriteAllText(json, BuildTokenizerJson(vocabPath, maxLength), new UTF8Encoding(false));
        _tokenizer = new Tokenizer(json);
    }

    public uint[] Encode(string text) => _tokenizer.Encode(text);

    /// <summary>Tokenises every text once; returns texts/s and the total token count.</summary>
    public (double TextsPerSecond, long Tokens) Measure(IReadOnlyList<string> texts)
    {
        long tokens = 0;
        var watch = Stopwatch.StartNew();
        foreach (var text in texts)
        {
            tokens += _tokenizer.Encode(text).Length;
        }

        watch.Stop();
        return (texts.Count / watch.Elapsed.TotalSeconds, tokens);
    }

    public void Dispose() => _tokenizer.Dispose();

    internal static string BuildTokenizerJson(string vocabPath, int maxLength)
    {
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        var id = 0;
        foreach (var raw in File.ReadLines(vocabPath))
        {
            var token = raw.TrimEnd('\r');
            vocab.TryAdd(token, id);
            id++;
        }

        int Id(string token) => vocab.TryGetValue(token, out var value)
            ? value
            : throw new InvalidDataException($"{vocabPath} has no {token} token");

        object Special(string token) => new Dictionary<string, object>
        {
            ["id"] = Id(token), ["content"] = token, ["single_word"] = false, ["lstrip"] = false,
            ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
        };

        object SpecialRef(string token) => new Dictionary<string, object>
        {
            ["id"] = token, ["ids"] = new[] { Id(token) }, ["tokens"] = new[] { token },
        };

        var document = new Dictionary<string, object?>
        {
            ["version"] = "1.0",
            ["truncation"] = new Dictionary<string, object>
            {
                ["direction"] = "Right", ["max_length"] = maxLength, ["strategy"] = "LongestFirst", ["stride"] = 0,
            },
            ["padding"] = null,
            ["added_tokens"] = new[] { Special("[PAD]"), Special("[UNK]"), Special("[CLS]"), Special("[SEP]"), Special("[MASK]") },
            ["normalizer"] = new Dictionary<string, object?>
            {
                ["type"] = "BertNormalizer", ["clean_text"] = true, ["handle_chinese_chars"] = true,
                ["strip_accents"] = null, ["lowercase"] = true,
            },
            ["pre_tokenizer"] = new Dictionary<string, object> { ["type"] = "BertPreTokenizer" },
            ["post_processor"] = new Dictionary<string, object>
            {
                ["type"] = "TemplateProcessing",
                ["single"] = new object[]
                {
                    new Dictionary<string, object> { ["SpecialToken"] = new Dictionary<string, object> { ["id"] = "[CLS]", ["type_id"] = 0 } },
                    new Dictionary<string, object> { ["Sequence"] = new Dictionary<string, object> { ["id"] = "A", ["type_id"] = 0 } },
                    new Dictionary<string, object> { ["SpecialToken"] = new Dictionary<string, object> { ["id"] = "[SEP]", ["type_id"] = 0 } },
                },
                ["pair"] = new object[]
                {
                    new Dictionary<string, object> { ["SpecialToken"] = new Dictionary<string, object> { ["id"] = "[CLS]", ["type_id"] = 0 } },
                    new Dictionary<string, object> { ["Sequence"] = new Dictionary<string, object> { ["id"] = "A", ["type_id"] = 0 } },
                    new Dictionary<string, object> { ["SpecialToken"] = new Dictionary<string, object> { ["id"] = "[SEP]", ["type_id"] = 0 } },
                    new Dictionary<string, object> { ["Sequence"] = new Dictionary<string, object> { ["id"] = "B", ["type_id"] = 1 } },
                    new Dictionary<string, object> { ["SpecialToken"] = new Dictionary<string, object> { ["id"] = "[SEP]", ["type_id"] = 1 } },
                },
                ["special_tokens"] = new Dictionary<string, object> { ["[CLS]"] = SpecialRef("[CLS]"), ["[SEP]"] = SpecialRef("[SEP]") },
            },
            ["decoder"] = new Dictionary<string, object> { ["type"] = "WordPiece", ["prefix"] = "##", ["cleanup"] = true },
            ["model"] = new Dictionary<string, object>
            {
                ["type"] = "WordPiece", ["unk_token"] = "[UNK]", ["continuing_subword_prefix"] = "##",
                ["max_input_chars_per_word"] = 100, ["vocab"] = vocab,
            },
        };
        return JsonSerializer.Serialize(document);
    }
}
