using Pipeline.Training.Heads;
using Pipeline.Training.Loading;
using Pipeline.Training.Lora;
using static TorchSharp.torch;

namespace Pipeline.Training.Tests;

[Collection("Sequential")]
public sealed class ClassifierFolderSpecs
{
    private static readonly LoraOptions Lora = new() { Rank = 4, TargetModules = ["query", "value"] };

    [Fact]
    public void I_can_export_a_LoRA_classifier_merged_and_load_it_back_with_its_label_map()
    {
        // Arrange
        using var scope = NewDisposeScope();
        var folder = TinyBert.TempFolder();
        var intent = new TaskHeadSpec("intent", TaskKind.SingleLabel, 3) { LabelNames = ["billing", "shipping", "refund"] };
        var tags = new TaskHeadSpec("tags", TaskKind.MultiLabel, 2) { Thresholds = [0.3f, 0.7f], LossWeight = 0.5 };
        using var model = new TextClassifier(TinyBert.Create(seed: 12), [intent, tags], Models.PoolingMode.Cls);
        LoraAdapters.Apply(model.Encoder, Lora);
        RandomizeAdapters(model);
        model.eval();
        var (ids, mask) = TinyBert.Batch();
        var expected = model.forward(ids, mask, null);

        // Act
        LoraAdapters.MergeAndUnload(model.Encoder);
        ClassifierFolder.Save(model, folder);
        using var loaded = ClassifierFolder.Load(folder);
        loaded.eval();
        var actual = loaded.forward(ids, mask, null);

        // Assert
        Assert.Equal(Models.PoolingMode.Cls, loaded.Pooling);
        Assert.Equal(["billing", "shipping", "refund"], loaded.Tasks[0].LabelNames!);
        Assert.Equal([0.3f, 0.7f], loaded.Tasks[1].Thresholds!);
        Assert.Equal(0.5, loaded.Tasks[1].LossWeight);
        foreach (var task in new[] { "intent", "tags" })
        {
            var diff = (expected[task] - actual[task]).abs().max().item<float>();
            Assert.True(diff < 1e-5, $"{task} differs by {diff}");
        }
    }

    [Fact]
    public void I_can_warm_start_from_a_base_model_an_adapter_and_saved_heads()
    {
        // Arrange
        using var scope = NewDisposeScope();
        var baseFolder = TinyBert.TempFolder();
        var championFolder = TinyBert.TempFolder();
        using (var baseModel = TinyBert.Create(seed: 30))
        {
            HuggingFaceFolder.Save(baseModel, baseFolder);
        }

        var task = new TaskHeadSpec("intent", TaskKind.SingleLabel, 3);
        using var champion = new TextClassifier(HuggingFaceFolder.Load(baseFolder), [task]);
        LoraAdapters.Apply(champion.Encoder, Lora);
        RandomizeAdapters(champion);
        champion.eval();
        var (ids, mask) = TinyBert.Batch();
        var expected = champion.forward(ids, mask, null)["intent"];
        LoraAdapters.Save(champion.Encoder, Lora, championFolder);
        ClassifierFolder.SaveHeads(champion, championFolder);

        // Act
        var encoder = HuggingFaceFolder.Load(baseFolder);
        LoraAdapters.Load(encoder, championFolder);
        using var warm = ClassifierFolder.LoadHeads(encoder, championFolder);
        warm.eval();

        // Assert
        Assert.True(TinyBert.Same(expected, warm.forward(ids, mask, null)["intent"]));
        Assert.All(warm.Encoder.named_parameters(), p => Assert.Equal(p.name.Contains(".lora_", StringComparison.Ordinal), p.parameter.requires_grad));
    }

    private static void RandomizeAdapters(TextClassifier model)
    {
        using var noGrad = no_grad();
        foreach (var (_, p) in model.named_parameters().Where(p => p.name.Contains("lora_B", StringComparison.Ordinal)))
        {
            p.copy_(randn_like(p) * 0.1);
        }
    }
}
