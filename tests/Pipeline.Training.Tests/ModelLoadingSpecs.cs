using Pipeline.Training.Loading;
using Pipeline.Training.Models;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Pipeline.Training.Tests;

[Collection("Sequential")]
public sealed class ModelLoadingSpecs
{
    [Fact]
    public void The_encoder_has_Hugging_Face_parameter_names()
    {
        // Arrange
        using var model = TinyBert.Create();

        // Act
        var names = model.state_dict().Keys.ToList();

        // Assert
        Assert.Contains("embeddings.word_embeddings.weight", names);
        Assert.Contains("embeddings.LayerNorm.bias", names);
        Assert.Contains("encoder.layer.0.attention.self.query.weight", names);
        Assert.Contains("encoder.layer.1.attention.output.dense.bias", names);
        Assert.Contains("encoder.layer.0.attention.output.LayerNorm.weight", names);
        Assert.Contains("encoder.layer.1.intermediate.dense.weight", names);
        Assert.Contains("encoder.layer.0.output.LayerNorm.bias", names);
        Assert.Equal(5 + 2 * 16, names.Count);
    }

    [Fact]
    public void I_can_save_a_model_as_a_Hugging_Face_folder_and_load_it_back_unchanged()
    {
        // Arrange
        using var scope = NewDisposeScope();
        var folder = TinyBert.TempFolder();
        var vocab = Path.Combine(folder, "src-vocab.txt");
        File.WriteAllText(vocab, "[PAD]\n[UNK]\n");
        using var original = TinyBert.Create(seed: 3);
        original.eval();
        var (ids, mask) = TinyBert.Batch();
        var expected = original.forward(ids, mask, null);

        // Act
        var saved = Path.Combine(folder, "model");
        HuggingFaceFolder.Save(original, saved, vocab);
        using var loaded = HuggingFaceFolder.Load(saved);
        loaded.eval();
        var actual = loaded.forward(ids, mask, null);

        // Assert
        Assert.Equal(original.Config, loaded.Config with { Architectures = original.Config.Architectures });
        foreach (var (name, tensor) in original.state_dict())
        {
            Assert.True(TinyBert.Same(tensor, loaded.state_dict()[name]), $"{name} differs after the round trip");
        }

        Assert.True(TinyBert.Same(expected, actual));
        Assert.True(File.Exists(Path.Combine(saved, "src-vocab.txt")));
        Assert.Empty(Directory.GetFiles(saved, "*.tmp"));
    }

    [Fact]
    public void I_can_load_weights_saved_with_a_bert_prefix_and_extra_pooler_tensors()
    {
        // Arrange
        using var scope = NewDisposeScope();
        var folder = TinyBert.TempFolder();
        using var original = TinyBert.Create(seed: 5);
        var prefixed = original.state_dict().ToDictionary(kv => "bert." + kv.Key, kv => kv.Value.detach().contiguous());
        prefixed["bert.pooler.dense.weight"] = zeros(32, 32);
        prefixed["bert.embeddings.position_ids"] = arange(40).unsqueeze(0);
        Safetensors.SaveStateDict(Path.Combine(folder, HuggingFaceFolder.WeightsFile), prefixed);
        original.Config.Save(Path.Combine(folder, HuggingFaceFolder.ConfigFile));

        // Act
        using var loaded = HuggingFaceFolder.Load(folder);

        // Assert
        Assert.True(TinyBert.Same(original.state_dict()["encoder.layer.1.output.dense.weight"], loaded.state_dict()["encoder.layer.1.output.dense.weight"]));
    }

    [Fact]
    public void Loading_fails_with_one_message_that_lists_missing_unexpected_and_mis_shaped_tensors()
    {
        // Arrange
        using var scope = NewDisposeScope();
        var folder = TinyBert.TempFolder();
        using var original = TinyBert.Create();
        var state = original.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().contiguous());
        state.Remove("encoder.layer.1.output.LayerNorm.bias");
        state["encoder.layer.2.attention.self.query.weight"] = zeros(32, 32);
        state["encoder.layer.0.intermediate.dense.weight"] = zeros(48, 32);
        Safetensors.SaveStateDict(Path.Combine(folder, HuggingFaceFolder.WeightsFile), state);
        original.Config.Save(Path.Combine(folder, HuggingFaceFolder.ConfigFile));

        // Act
        var error = Assert.Throws<ModelLoadException>(() => HuggingFaceFolder.Load(folder));

        // Assert
        Assert.Contains("1 missing, 1 unexpected and 1 mis-shaped", error.Message, StringComparison.Ordinal);
        Assert.Contains("Missing (in the model, not in the checkpoint): encoder.layer.1.output.LayerNorm.bias", error.Message, StringComparison.Ordinal);
        Assert.Contains("Unexpected (in the checkpoint, not in the model): encoder.layer.2.attention.self.query.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("encoder.layer.0.intermediate.dense.weight: checkpoint [48, 32], model [64, 32]", error.Message, StringComparison.Ordinal);
        Assert.Contains(folder, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_without_weights_or_a_bad_config_says_which_file_and_how_to_fix_it()
    {
        // Arrange
        var folder = TinyBert.TempFolder();
        TinyBert.Config.Save(Path.Combine(folder, HuggingFaceFolder.ConfigFile));
        var badFolder = TinyBert.TempFolder();
        File.WriteAllText(Path.Combine(badFolder, HuggingFaceFolder.ConfigFile), """{"hidden_size": 30, "num_attention_heads": 4}""");

        // Act
        var noWeights = Assert.Throws<ModelLoadException>(() => HuggingFaceFolder.Load(folder));
        var badConfig = Assert.Throws<ModelLoadException>(() => HuggingFaceFolder.Load(badFolder));
        var unknownBase = Assert.Throws<ModelLoadException>(() => ModelResolver.Resolve("no-such-model"));

        // Assert
        Assert.Contains("model.safetensors", noWeights.Message, StringComparison.Ordinal);
        Assert.Contains("hidden_size 30 is not a multiple of num_attention_heads 4", badConfig.Message, StringComparison.Ordinal);
        Assert.Contains("minilm", unknownBase.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mean_pooling_ignores_padding_and_CLS_pooling_takes_the_first_token()
    {
        // Arrange
        using var scope = NewDisposeScope();
        var hidden = tensor(new float[] { 1, 2, 3, 4, 100, 100 }, [1, 3, 2]);
        var mask = tensor(new long[] { 1, 1, 0 }, [1, 3]);

        // Act
        var mean = Pooling.Pool(hidden, mask, PoolingMode.Mean);
        var cls = Pooling.Pool(hidden, mask, PoolingMode.Cls);

        // Assert
        float[] expectedMean = [2f, 3f];
        float[] expectedCls = [1f, 2f];
        Assert.Equal(expectedMean, mean.data<float>().ToArray());
        Assert.Equal(expectedCls, cls.data<float>().ToArray());
    }
}
