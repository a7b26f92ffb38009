using System.Globalization;
using System.Text;
using Pipeline.Stages.Tests.Support;
using Pipeline.Training.Loading;
using Pipeline.Training.Models;

namespace Pipeline.Stages.Tests.EndToEnd;

/// <summary>
/// A repository the whole pipeline runs on: three intents of generated text under data/labeled,
/// a pipeline.yaml, and a tiny BERT (2 layers, hidden 32) saved as a Hugging Face folder outside
/// the repository for model.base.
/// </summary>
internal sealed class TinyProject : IDisposable
{
    private static readonly string[] Labels = ["billing", "returns", "shipping"];

    private static readonly Dictionary<string, string[]> Words = new(StringComparer.Ordinal)
    {
        ["billing"] = ["invoice", "charge", "refund", "card", "payment", "bill", "price", "fee", "tax", "receipt", "paid", "twice"],
        ["returns"] = ["return", "broken", "damaged", "exchange", "wrong", "size", "send", "back", "faulty", "replace", "label", "box"],
        ["shipping"] = ["parcel", "delivery", "courier", "tracking", "late", "arrive", "address", "truck", "shipped", "lost", "route", "week"],
    };

    private static readonly string[] SpecialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

    private static readonly string[] Filler = ["my", "the", "please", "help", "with", "order", "i", "need", "a", "is", "it", "you"];

    private readonly TempFolder _model = new();

    public TinyProject()
    {
        Repository.Write(".gitignore", "artifacts/\nmlruns/\n");
        WriteData("data/labeled/first.jsonl", seed: 1, rowsPerLabel: 60, mislabeled: 5);
        WriteConfig(floor: 0.5, bootstrapSeed: 13);
        SaveTinyBert(_model.Path);
    }

    public TempGitRepository Repository { get; } = new();

    public StageSettings Settings => new() { RepositoryRoot = Repository.Path };

    /// <summary>pipeline.yaml with the gate's macro-F1 floor and the bootstrap seed given.</summary>
    public void WriteConfig(double floor, int bootstrapSeed) => Repository.Write("pipeline.yaml", $$"""
        version: 1
        data:
          sources:
            - path: data/labeled/*.jsonl
              format: jsonl
              text: [text]
              label: intent
              id: id
        split:
          salt: v1
          validation: 0.2
          test: 0.3
        format:
          max_length: 24
        model:
          base: {{ModelFolder}}
        train:
          technique: lp-ft
          epochs: 2
          batch_size: 8
          learning_rate: 0.01
          device: cpu
        evaluate:
          bootstrap:
            resamples: 200
            seed: {{bootstrapSeed}}
          gates:
            - metric: macro_f1
              min: {{floor.ToString(CultureInfo.InvariantCulture)}}
            - metric: macro_f1
              significant_improvement: true
        register:
          model_name: tiny-intents
          experiment: tiny-intents
          tracking_uri: ""
        """);

    /// <summary>
    /// Rows of label words mixed with filler words; <paramref name="mislabeled"/> rows per label
    /// carry another label's words, so no model scores a perfect macro-F1 on them.
    /// </summary>
    public void WriteData(string path, int seed, int rowsPerLabel, int mislabeled)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        var id = 0;
        foreach (var label in Labels)
        {
            for (var i = 0; i < rowsPerLabel; i++)
            {
                var source = i < mislabeled ? Labels[(Array.IndexOf(Labels, label) + 1) % Labels.Length] : label;
                var words = Enumerable.Range(0, random.Next(5, 9))
                    .Select(k => k % 3 == 2 ? Filler[random.Next(Filler.Length)] : Words[source][random.Next(Words[source].Length)]);
                text.Append(CultureInfo.InvariantCulture, $$"""{"id": "{{seed}}-{{id++}}", "text": "{{string.Join(' ', words)}} {{id}}", "intent": "{{label}}"}""").Append('\n');
            }
        }

        Repository.Write(path, text.ToString());
    }

    public void Dispose()
    {
        Repository.Dispose();
        _model.Dispose();
    }

    private static void SaveTinyBert(string folder)
    {
        var vocabulary = SpecialTokens
            .Concat(Words.Values.SelectMany(w => w)).Concat(Filler)
            .Concat(Enumerable.Range(0, 400).Select(i => i.ToString(CultureInfo.InvariantCulture)))
            .Distinct(StringComparer.Ordinal).ToList();
        var vocab = System.IO.Path.Combine(folder, "vocab.txt");
        File.WriteAllLines(vocab, vocabulary);
        var config = new BertConfig
        {
            VocabSize = vocabulary.Count,
            HiddenSize = 32,
            NumHiddenLayers = 2,
            NumAttentionHeads = 4,
            IntermediateSize = 64,
            MaxPositionEmbeddings = 40,
        };
        TorchSharp.torch.random.manual_seed(7);
        using var encoder = new BertModel(config);
        HuggingFaceFolder.Save(encoder, System.IO.Path.Combine(folder, "base"), vocab);
        File.Delete(vocab);
    }

    /// <summary>The model.base folder.</summary>
    public string ModelFolder => System.IO.Path.Combine(_model.Path, "base");
}
