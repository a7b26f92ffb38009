using Pipeline.Training.Heads;
using Pipeline.Training.Models;
using static TorchSharp.torch;

namespace Pipeline.Serving.Tests;

/// <summary>
/// Writes a real, tiny TorchSharp classifier folder as training does (<c>ClassifierFolder.Save</c>):
/// a 2-layer, hidden-32 BERT with random weights, an <c>intent</c> head (3 labels) and, for a
/// multitask model, a multi-label <c>topics</c> head; plus a small WordPiece vocabulary.
/// </summary>
internal static class TinyClassifier
{
    private static readonly string[] Words =
    [
        "refund", "invoice", "charge", "card", "password", "login", "locked", "account", "great", "terrible",
        "angry", "happy", "please", "help", "my", "is", "i", "want", "a", "the",
        "out", "reset", "order", "twice", "cancel", "subscription", "how", "do", "to", "me",
        "##s", "##ed", "##ing", "bill", "pay", "money", "back", "now", "why", "not",
        "yes", "no", "ok", "thanks", "hello",
    ];

    public static BertConfig Config { get; } = new()
    {
        VocabSize = 50,
        HiddenSize = 32,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        IntermediateSize = 64,
        MaxPositionEmbeddings = 64,
    };

    public static string Write(string folder, bool multitask = false, int seed = 7, PoolingMode pooling = PoolingMode.Mean, string hiddenAct = "gelu")
    {
        random.manual_seed(seed);
        List<TaskHeadSpec> tasks = [new("intent", TaskKind.SingleLabel, 3) { LabelNames = ["billing", "account", "other"] }];
        if (multitask)
        {
            tasks.Add(new("topics", TaskKind.MultiLabel, 2) { LabelNames = ["money", "security"], Thresholds = [0.3f, 0.7f] });
        }

        using var model = new TextClassifier(new BertModel(Config with { HiddenAct = hiddenAct }), tasks, pooling);
        var vocab = Path.Combine(Path.GetTempPath(), "tiny-vocab-" + Guid.NewGuid().ToString("N") + ".txt");
        File.WriteAllLines(vocab, ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", .. Words]);
        try
        {
            ClassifierFolder.Save(model, folder, vocab);
        }
        finally
        {
            File.Delete(vocab);
        }

        File.Move(Path.Combine(folder, Path.GetFileName(vocab)), Path.Combine(folder, "vocab.txt"));
        return folder;
    }
}
