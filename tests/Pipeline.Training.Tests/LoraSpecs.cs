using Pipeline.Training.Heads;
using Pipeline.Training.Loading;
using Pipeline.Training.Lora;
using static TorchSharp.torch;

namespace Pipeline.Training.Tests;

[Collection("Sequential")]
public sealed class LoraSpecs
{
    private static readonly LoraOptions Options = new() { Rank = 4, Alpha = 8, Dropout = 0.1, TargetModules = ["query", "value", "dense"] };

    [Fact]
    public void LoRA_training_changes_only_adapters_and_head_and_the_merged_model_gives_the_same_output()
    {
        // Arrange
        using var scope = NewDisposeScope();
        var task = new TaskHeadSpec("intent", TaskKind.SingleLabel, 3);
        var encoder = TinyBert.Create(seed: 21);
        var baseWeights = encoder.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        using var classifier = new TextClassifier(encoder, [task]);
        var wrapped = LoraAdapters.Apply(encoder, Options);
        var headBefore = classifier.Head("intent").parameters().Select(p => p.detach().clone()).ToList();
        var trainable = classifier.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToList();
        var (ids, mask) = TinyBert.Batch();
        var labels = new TaskLabels(tensor(new long[] { 1, 2 }), ones(2, dtype: ScalarType.Bool));
        using var optimizer = optim.AdamW(classifier.parameters().Where(p => p.requires_grad), lr: 1e-2);

        // Act
        classifier.train();
        for (var step = 0; step < 4; step++)
        {
            using var stepScope = NewDisposeScope();
            var loss = TaskLosses.Loss(task, classifier.forward(ids, mask, null)["intent"], labels);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }

        classifier.eval();
        var unmerged = classifier.forward(ids, mask, null)["intent"].detach().clone();
        var adapterState = LoraAdapters.AdapterState(encoder).ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        var merged = LoraAdapters.MergeAndUnload(encoder);
        var mergedOutput = classifier.forward(ids, mask, null)["intent"];

        // Assert
        Assert.Equal(2 * 5, wrapped); // per layer: query, value and three dense
        Assert.All(trainable, name => Assert.True(name.Contains(".lora_", StringComparison.Ordinal) || name.StartsWith("heads.", StringComparison.Ordinal), name));
        Assert.Equal((2 * 5 * 2) + 2, trainable.Count);
        Assert.Contains("base_model.model.encoder.layer.0.attention.self.query.lora_A.weight", adapterState.Keys);
        Assert.Contains(adapterState, kv => kv.Key.EndsWith("lora_B.weight", StringComparison.Ordinal) && kv.Value.abs().sum().item<float>() > 0);
        Assert.Contains(classifier.Head("intent").parameters().Zip(headBefore), p => !TinyBert.Same(p.First, p.Second));
        Assert.Equal(10, merged);
        Assert.DoesNotContain(encoder.state_dict().Keys, k => k.Contains("lora", StringComparison.Ordinal));
        var maxDiff = (unmerged - mergedOutput).abs().max().item<float>();
        Assert.True(maxDiff < 1e-5, $"merged vs unmerged differ by {maxDiff}");
        foreach (var (name, before) in baseWeights)
        {
            var after = encoder.state_dict()[name];
            var isMergedTarget = name.EndsWith(".weight", StringComparison.Ordinal)
                && Options.TargetModules.Any(t => name.EndsWith($".{t}.weight", StringComparison.Ordinal));
            if (!isMergedTarget)
            {
                Assert.True(TinyBert.Same(before, after), $"{name} changed during LoRA training");
            }
        }
    }

    [Fact]
    public void Base_weights_stay_bit_identical_while_adapters_train()
    {
        // Arrange
        using var scope = NewDisposeScope();
        var encoder = TinyBert.Create(seed: 4);
        var before = encoder.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        LoraAdapters.Apply(encoder, Options);
        var (ids, mask) = TinyBert.Batch();
        using var optimizer = optim.AdamW(encoder.parameters().Where(p => p.requires_grad), lr: 1e-2, weight_decay: 0.1);

        // Act
        for (var step = 0; step < 3; step++)
        {
            using var stepScope = NewDisposeScope();
            var loss = encoder.forward(ids, mask, null).pow(2).mean();
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }

        // Assert
        var after = encoder.state_dict();
        foreach (var (name, tensor) in before)
        {
            Assert.True(TinyBert.Same(tensor, after[name]), $"{name} changed");
        }
    }

    [Fact]
    public void I_can_save_an_adapter_alone_and_load_it_onto_a_fresh_copy_of_the_base()
    {
        // Arrange
        using var scope = NewDisposeScope();
        var folder = TinyBert.TempFolder();
        using var trained = TinyBert.Create(seed: 8);
        LoraAdapters.Apply(trained, Options);
        using (no_grad())
        {
            foreach (var (name, p) in trained.named_parameters().Where(p => p.name.Contains("lora_B", StringComparison.Ordinal)))
            {
                p.copy_(randn_like(p) * 0.1);
            }
        }

        trained.eval();
        var (ids, mask) = TinyBert.Batch();
        var expected = trained.forward(ids, mask, null);

        // Act
        LoraAdapters.Save(trained, Options, folder);
        using var fresh = TinyBert.Create(seed: 8);
        var options = LoraAdapters.Load(fresh, folder);
        fresh.eval();
        var actual = fresh.forward(ids, mask, null);

        // Assert
        Assert.Equal(Options.Rank, options.Rank);
        Assert.Equal(Options.TargetModules, options.TargetModules);
        Assert.True(TinyBert.Same(expected, actual));
        Assert.Contains("\"lora_alpha\": 8", File.ReadAllText(Path.Combine(folder, LoraAdapters.AdapterConfigFile)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_MiniLM_adapter_on_query_and_value_is_a_few_hundred_kilobytes()
    {
        // Arrange
        var cache = TinyBert.TempFolder();
        var output = TinyBert.TempFolder();
        try
        {
            using var encoder = HuggingFaceFolder.Load(ModelResolver.Resolve("minilm", cache));
            LoraAdapters.Apply(encoder, new LoraOptions { Rank = 8, TargetModules = ["query", "value"] });

            // Act
            LoraAdapters.Save(encoder, new LoraOptions { Rank = 8, TargetModules = ["query", "value"] }, output);

            // Assert
            var size = new FileInfo(Path.Combine(output, LoraAdapters.AdapterWeightsFile)).Length;
            var baseSize = new FileInfo(Path.Combine(ModelResolver.Resolve("minilm", cache), HuggingFaceFolder.WeightsFile)).Length;
            Assert.InRange(size, 250_000, 400_000); // 6 layers x 2 modules x (8x384 + 384x8) floats = 294,912 bytes + header
            Assert.True(size < baseSize / 100);
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
            Directory.Delete(output, recursive: true);
        }
    }
}
