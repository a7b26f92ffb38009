using Pipeline.Training.Models;
using static TorchSharp.torch;

namespace Pipeline.Training.Tests;

/// <summary>A 2-layer, hidden-32 BERT that tests build themselves, and a scratch folder per test.</summary>
internal static class TinyBert
{
    public static BertConfig Config { get; } = new()
    {
        VocabSize = 50,
        HiddenSize = 32,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        IntermediateSize = 64,
        MaxPositionEmbeddings = 40,
        HiddenDropoutProb = 0.1,
        AttentionProbsDropoutProb = 0.1,
    };

    public static BertModel Create(int seed = 11, BertConfig? config = null)
    {
        random.manual_seed(seed);
        return new BertModel(config ?? Config);
    }

    /// <summary>Two rows of token ids, the second padded after 5 tokens.</summary>
    public static (Tensor Ids, Tensor Mask) Batch()
    {
        var ids = tensor(new long[] { 2, 7, 9, 11, 13, 17, 19, 3, 2, 5, 8, 12, 3, 0, 0, 0 }, [2, 8]);
        var mask = tensor(new long[] { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0 }, [2, 8]);
        return (ids, mask);
    }

    /// <summary>Same shape and bit-identical values.</summary>
    public static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    /// <summary>A bool [n] tensor, e.g. which rows carry a task's label.</summary>
    public static Tensor Flags(params bool[] values) => tensor(values);

    public static string TempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "pipeline-model-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
