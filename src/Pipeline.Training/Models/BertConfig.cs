using System.Text.Json.Serialization;
using System.Text.Json;
using Pipeline.IO;

namespace Pipeline.Training.Models;

/// <summary>
/// The shape of a BERT-family encoder, read from and written to a Hugging Face
/// <c>config.json</c> (same key names; keys this encoder does not use are ignored).
/// </summary>
public sealed record BertConfig
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>Word-piece vocabulary size. Default 30522; at least 1.</summary>
    [JsonPropertyName("vocab_size")]
    public int VocabSize { get; init; } = 30522;

    /// <summary>Width of every token vector. Default 768; a multiple of <see cref="NumAttentionHeads"/>.</summary>
    [JsonPropertyName("hidden_size")]
    public int HiddenSize { get; init; } = 768;

    /// <summary>Number of transformer layers. Default 12; at least 1.</summary>
    [JsonPropertyName("num_hidden_layers")]
    public int NumHiddenLayers { get; init; } = 12;

    /// <summary>Attention heads per layer. Default 12; at least 1.</summary>
    [JsonPropertyName("num_attention_heads")]
    public int NumAttentionHeads { get; init; } = 12;

    /// <summary>Width of the feed-forward layer. Default 3072; at least 1.</summary>
    [JsonPropertyName("intermediate_size")]
    public int IntermediateSize { get; init; } = 3072;

    /// <summary>Longest sequence the position table covers. Default 512; at least 1.</summary>
    [JsonPropertyName("max_position_embeddings")]
    public int MaxPositionEmbeddings { get; init; } = 512;

    /// <summary>Number of segment (token type) ids. Default 2; at least 1.</summary>
    [JsonPropertyName("type_vocab_size")]
    public int TypeVocabSize { get; init; } = 2;

    /// <summary>LayerNorm epsilon. Default 1e-12; within (0, 1).</summary>
    [JsonPropertyName("layer_norm_eps")]
    public double LayerNormEps { get; init; } = 1e-12;

    /// <summary>Feed-forward activation: <c>gelu</c> (erf, default), <c>gelu_new</c>/<c>gelu_pytorch_tanh</c> (tanh approximation) or <c>relu</c>.</summary>
    [JsonPropertyName("hidden_act")]
    public string HiddenAct { get; init; } = "gelu";

    /// <summary>Dropout after embeddings, attention output and feed-forward. Default 0.1; within [0, 1).</summary>
    [JsonPropertyName("hidden_dropout_prob")]
    public double HiddenDropoutProb { get; init; } = 0.1;

    /// <summary>Dropout on attention probabilities. Default 0.1; within [0, 1).</summary>
    [JsonPropertyName("attention_probs_dropout_prob")]
    public double AttentionProbsDropoutProb { get; init; } = 0.1;

    /// <summary>Id of the padding token. Default 0.</summary>
    [JsonPropertyName("pad_token_id")]
    public int PadTokenId { get; init; }

    /// <summary>Hugging Face model type, written for compatibility. Default <c>bert</c>.</summary>
    [JsonPropertyName("model_type")]
    public string ModelType { get; init; } = "bert";

    /// <summary>Hugging Face architectures list, written for compatibility.</summary>
    [JsonPropertyName("architectures")]
    public IReadOnlyList<string> Architectures { get; init; } = ["BertModel"];

    /// <summary>Width of one attention head.</summary>
    [JsonIgnore]
    public int HeadSize => HiddenSize / NumAttentionHeads;

    /// <summary>Checks every field; <paramref name="source"/> names the file in the message.</summary>
    /// <exception cref="ModelLoadException">A field is out of range.</exception>
    public BertConfig Validate(string source = "config")
    {
        var problems = new List<string>();
        Positive(VocabSize, "vocab_size");
        Positive(HiddenSize, "hidden_size");
        Positive(NumHiddenLayers, "num_hidden_layers");
        Positive(NumAttentionHeads, "num_attention_heads");
        Positive(IntermediateSize, "intermediate_size");
        Positive(MaxPositionEmbeddings, "max_position_embeddings");
        Positive(TypeVocabSize, "type_vocab_size");
        if (NumAttentionHeads > 0 && HiddenSize % NumAttentionHeads != 0)
        {
            problems.Add($"hidden_size {HiddenSize} is not a multiple of num_attention_heads {NumAttentionHeads}");
        }

        if (LayerNormEps is <= 0 or >= 1)
        {
            problems.Add($"layer_norm_eps {LayerNormEps} must be within (0, 1)");
        }

        if (HiddenDropoutProb is < 0 or >= 1 || AttentionProbsDropoutProb is < 0 or >= 1)
        {
            problems.Add("hidden_dropout_prob and attention_probs_dropout_prob must be within [0, 1)");
        }

        if (!Activations.IsKnown(HiddenAct))
        {
            problems.Add($"hidden_act '{HiddenAct}' is not supported (use {string.Join(", ", Activations.Known)})");
        }

        if (problems.Count > 0)
        {
            throw new ModelLoadException($"{source} is not a valid BERT config: {string.Join("; ", problems)}. Fix the file or re-export the model.");
        }

        return this;

        void Positive(int value, string name)
        {
            if (value < 1)
            {
                problems.Add($"{name} is {value} but must be at least 1");
            }
        }
    }

    /// <summary>Reads a Hugging Face <c>config.json</c> and validates it.</summary>
    /// <exception cref="ModelLoadException">The file is missing, not JSON, or out of range.</exception>
    public static BertConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ModelLoadException($"Model config '{path}' does not exist. A model folder needs config.json, model.safetensors and vocab.txt or tokenizer.json.");
        }

        try
        {
            var config = JsonSerializer.Deserialize<BertConfig>(File.ReadAllText(path), JsonOptions)
                ?? throw new ModelLoadException($"Model config '{path}' is empty.");
            return config.Validate(path);
        }
        catch (JsonException ex)
        {
            throw new ModelLoadException($"Model config '{path}' is not valid JSON (line {ex.LineNumber}): {ex.Message}", ex);
        }
    }

    /// <summary>Writes this config as <c>config.json</c> atomically (temp file + rename).</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, JsonOptions));
}
