using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Training.Heads;
using Pipeline.Training.Lora;
using Pipeline.Training.Training;
using static TorchSharp.torch;

namespace Pipeline.Training.Tests;

[Collection("Sequential")]
public sealed class TrainerSpecs : IDisposable
{
    private static readonly TaskHeadSpec Intent = new("intent", TaskKind.SingleLabel, 3);
    private readonly string _dir = TinyBert.TempFolder();

    private static TrainOptions Fast => new()
    {
        Epochs = 2,
        BatchSize = 8,
        LearningRate = 3e-3,
        HeadLearningRate = 1e-2,
        WarmupRatio = 0.1,
        CheckpointEverySteps = 3,
        KeepLastCheckpoints = 2,
        EarlyStoppingPatience = 0,
        BucketBatches = 2,
        Seed = 5,
    };

    [Fact]
    public void The_trainer_learns_a_separable_task_and_writes_metrics_and_pruned_checkpoints()
    {
        // Arrange
        var (train, validation) = Data(seed: 1);
        using var model = NewClassifier();

        // Act
        var result = new Trainer(Fast with { Epochs = 4 }, NullLogger.Instance).Fit(model, train, validation, _dir);

        // Assert
        Assert.True(result.BestMacroF1 > 0.9, $"macro-F1 {result.BestMacroF1}");
        Assert.Equal(4 * 6, result.OptimizerSteps); // 48 rows / 8 = 6 steps per epoch
        Assert.True(result.ExamplesPerSecond > 0 && result.TokensPerSecond > 0);
        Assert.Equal(result.TotalParameters, result.TrainableParameters);
        Assert.Equal(2, Directory.GetDirectories(_dir, "checkpoint-*").Length);
        Assert.True(File.Exists(Path.Combine(_dir, "best", "model.safetensors")));
        var lines = File.ReadAllLines(Path.Combine(_dir, "metrics.jsonl"));
        Assert.Equal(4, lines.Count(l => l.Contains("\"kind\":\"eval\"", StringComparison.Ordinal)));
        Assert.Empty(Directory.GetFileSystemEntries(_dir, "*.tmp"));
    }

    [Fact]
    public void A_run_killed_after_a_checkpoint_resumes_and_ends_with_the_same_weights_as_an_uninterrupted_run()
    {
        // Arrange
        var (train, validation) = Data(seed: 2);
        var options = Fast with { GradientAccumulation = 2, BatchSize = 4 };
        Dictionary<string, Tensor> uninterrupted;
        using (var model = NewClassifier())
        {
            new Trainer(options, NullLogger.Instance).Fit(model, train, validation, Path.Combine(_dir, "a"));
            uninterrupted = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        }

        // Act
        using var cts = new CancellationTokenSource();
        using (var killed = NewClassifier())
        {
            var kill = new StopAt(7, cts);
            Assert.Throws<OperationCanceledException>(() =>
                new Trainer(options, NullLogger.Instance).Fit(killed, train, validation, Path.Combine(_dir, "b"), kill, cts.Token));
        }

        using var resumed = NewClassifier(seed: 99); // different init: everything must come from the checkpoint
        var result = new Trainer(options, NullLogger.Instance).Fit(resumed, train, validation, Path.Combine(_dir, "b"));

        // Assert
        Assert.Equal(6, result.ResumedFromStep);
        Assert.Equal(12, result.OptimizerSteps);
        foreach (var (name, expected) in uninterrupted)
        {
            Assert.True(TinyBert.Same(expected, resumed.state_dict()[name]), $"{name} differs after resume");
        }
    }

    [Fact]
    public void Training_stops_early_when_the_validation_metric_stops_improving()
    {
        // Arrange
        var (train, validation) = Data(seed: 3);
        using var model = NewClassifier();
        var options = Fast with { Epochs = 20, LearningRate = 1e-9, HeadLearningRate = 1e-9, EvalEverySteps = 2, EarlyStoppingPatience = 2 };

        // Act
        var result = new Trainer(options, NullLogger.Instance).Fit(model, train, validation, _dir);

        // Assert
        Assert.True(result.StoppedEarly);
        Assert.Equal(6, result.OptimizerSteps); // evaluations at steps 2, 4, 6: no improvement after the first
        Assert.Equal(2, result.BestStep);
    }

    [Fact]
    public void A_NaN_loss_stops_training_with_likely_causes()
    {
        // Arrange
        var (train, validation) = Data(seed: 4);
        using var model = NewClassifier();
        using (no_grad())
        {
            model.Head("intent").parameters().First().fill_(float.NaN);
        }

        // Act
        var error = Assert.Throws<TrainingDivergedException>(() => new Trainer(Fast, NullLogger.Instance).Fit(model, train, validation, _dir));

        // Assert
        Assert.Contains("NaN or infinite at optimizer step 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("learning rate too high", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Warm_up_then_linear_or_cosine_decay_shapes_the_learning_rate()
    {
        // Act + Assert
        Assert.Equal(0.25, LearningRateSchedule.Factor(LrSchedule.Linear, 0, 100, 4), 6);
        Assert.Equal(1.0, LearningRateSchedule.Factor(LrSchedule.Linear, 3, 100, 4), 6);
        Assert.Equal(0.5, LearningRateSchedule.Factor(LrSchedule.Linear, 52, 100, 4), 6);
        Assert.Equal(0.5, LearningRateSchedule.Factor(LrSchedule.Cosine, 52, 100, 4), 6);
        Assert.Equal(0.0, LearningRateSchedule.Factor(LrSchedule.Cosine, 100, 100, 4), 6);
        Assert.Equal(1.0, LearningRateSchedule.Factor(LrSchedule.Constant, 90, 100, 4), 6);
    }

    [Fact]
    public void Length_bucketing_visits_every_row_once_in_a_seeded_order_with_little_padding()
    {
        // Arrange
        var random = new Random(3);
        var lengths = Enumerable.Range(0, 400).Select(_ => random.Next(4, 120)).ToArray();

        // Act
        var batches = LengthBucketedBatcher.Batches(lengths, 16, 10, seed: 7, epoch: 1);
        var again = LengthBucketedBatcher.Batches(lengths, 16, 10, seed: 7, epoch: 1);
        var nextEpoch = LengthBucketedBatcher.Batches(lengths, 16, 10, seed: 7, epoch: 2);

        // Assert
        Assert.Equal(Enumerable.Range(0, 400), batches.SelectMany(b => b).Order());
        Assert.Equal(batches.SelectMany(b => b), again.SelectMany(b => b));
        Assert.NotEqual(batches.SelectMany(b => b), nextEpoch.SelectMany(b => b));
        var bucketedSlots = batches.Sum(b => (long)b.Length * b.Max(i => lengths[i]));
        var randomSlots = Enumerable.Range(0, 400).Chunk(16).Sum(b => (long)b.Length * b.Max(i => lengths[i]));
        Assert.True(bucketedSlots < randomSlots * 0.7, $"bucketed {bucketedSlots} vs unsorted {randomSlots} token slots");
    }

    [Fact]
    public void Options_out_of_range_name_the_option_and_its_range()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TrainOptions { WarmupRatio = 1.5 });
        Assert.Contains("within [0, 1)", error.Message, StringComparison.Ordinal);
        Assert.Equal("WarmupRatio", error.ParamName);
    }

    [Fact]
    public void A_linear_probe_trains_only_the_head_on_cached_features()
    {
        // Arrange
        var (train, validation) = Data(seed: 6);
        using var model = NewClassifier();
        var trainable = Techniques.Prepare(model, TrainingTechnique.Head);
        var encoderBefore = model.Encoder.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());

        // Act
        var result = LinearProbe.Fit(model, train, validation, new LinearProbeOptions { Epochs = 60, BatchSize = 16, LearningRate = 5e-2 }, NullLogger.Instance);

        // Assert
        Assert.Equal((32 * 3) + 3, trainable);
        Assert.True(result.BestMacroF1 > 0.8, $"probe macro-F1 {result.BestMacroF1}");
        foreach (var (name, before) in encoderBefore)
        {
            Assert.True(TinyBert.Same(before, model.Encoder.state_dict()[name]), $"{name} changed");
        }

        var validated = new Trainer(Fast, NullLogger.Instance).Validate(model, validation);
        Assert.Equal(result.BestMacroF1, validated.MacroF1, 6);
    }

    [Fact]
    public void LoRA_fine_tuning_through_the_trainer_leaves_the_base_weights_untouched()
    {
        // Arrange
        var (train, validation) = Data(seed: 7);
        using var model = NewClassifier();
        var before = model.Encoder.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        Techniques.Prepare(model, TrainingTechnique.Lora, new LoraOptions { Rank = 4, TargetModules = ["query", "value"] });

        // Act
        var result = new Trainer(Fast with { CheckpointEverySteps = 0 }, NullLogger.Instance).Fit(model, train, validation, _dir);

        // Assert
        Assert.True(result.TrainableParameters < result.TotalParameters / 5);
        var after = model.Encoder.state_dict();
        foreach (var (name, tensor) in before)
        {
            Assert.True(TinyBert.Same(tensor, after[name]), $"{name} changed");
        }

        Assert.Contains(after, kv => kv.Key.EndsWith("lora_B.weight", StringComparison.Ordinal) && kv.Value.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void LoRA_checkpoints_hold_only_trainable_weights_and_refuse_to_resume_on_a_different_base()
    {
        // Arrange
        var (train, validation) = Data(seed: 8);
        var lora = new LoraOptions { Rank = 2, TargetModules = ["query"] };
        using (var model = NewClassifier())
        {
            Techniques.Prepare(model, TrainingTechnique.Lora, lora);
            using var cts = new CancellationTokenSource();
            Assert.Throws<OperationCanceledException>(() =>
                new Trainer(Fast, NullLogger.Instance).Fit(model, train, validation, _dir, new StopAt(4, cts), cts.Token));
        }

        using var otherBase = NewClassifier(seed: 23);
        Techniques.Prepare(otherBase, TrainingTechnique.Lora, lora);

        // Act
        var error = Assert.Throws<Models.ModelLoadException>(() => new Trainer(Fast, NullLogger.Instance).Fit(otherBase, train, validation, _dir));

        // Assert
        var checkpoint = Directory.GetDirectories(_dir, "checkpoint-*").Single();
        var tensors = TorchSharp.PyBridge.Safetensors.LoadStateDict(Path.Combine(checkpoint, "model.safetensors"));
        Assert.All(tensors.Keys, k => Assert.True(k.Contains(".lora_", StringComparison.Ordinal) || k.StartsWith("heads.", StringComparison.Ordinal), k));
        Assert.Equal((2 * 2) + 2, tensors.Count);
        Assert.Contains("frozen weights", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static TextClassifier NewClassifier(int seed = 17)
    {
        var encoder = TinyBert.Create(seed);
        return new TextClassifier(encoder, [Intent]);
    }

    /// <summary>Rows of random ids from a class-specific, slightly overlapping range (class 0: 10-21, 1: 20-31, 2: 30-41).</summary>
    private static (List<TrainingExample> Train, List<TrainingExample> Validation) Data(int seed)
    {
        var random = new Random(seed);
        List<TrainingExample> Make(int count) => Enumerable.Range(0, count).Select(_ =>
        {
            var label = random.Next(3);
            var length = random.Next(3, 12);
            var ids = new List<long> { 2 };
            ids.AddRange(Enumerable.Range(0, length).Select(_ => (long)random.Next(10 + (10 * label), 22 + (10 * label))));
            ids.Add(3);
            return new TrainingExample(ids, new Dictionary<string, int[]> { ["intent"] = [label] });
        }).ToList();
        return (Make(48), Make(24));
    }

    private sealed class StopAt(long step, CancellationTokenSource cts) : IProgress<TrainProgress>
    {
        public void Report(TrainProgress value)
        {
            if (value.Step == step)
            {
                cts.Cancel();
            }
        }
    }
}
