using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Training.Heads;
using Pipeline.Training.Training;
using Pipeline.Training.Vision;

namespace Pipeline.Training.Tests;

[Collection("Sequential")]
public sealed class ImageFineTunerSpecs : IDisposable
{
    private readonly string _dir = TinyBert.TempFolder();

    private static readonly TaskHeadSpec[] Tasks = [new("label", TaskKind.SingleLabel, 2) { LabelNames = ["red", "blue"] }];

    private static TrainOptions Fast => new()
    {
        Epochs = 2,
        BatchSize = 4,
        LearningRate = 1e-3,
        HeadLearningRate = 1e-2,
        WarmupRatio = 0,
        CheckpointEverySteps = 4,
        EarlyStoppingPatience = 0,
        LogEverySteps = 1,
    };

    [Fact]
    public void The_head_technique_trains_a_probe_on_cached_features_and_writes_a_folder_that_loads_and_predicts()
    {
        // Arrange
        var request = Request(ImageFineTuneTechnique.Head) with { ProbeOptions = new LinearProbeOptions { Epochs = 60, BatchSize = 16, LearningRate = 0.05 } };

        // Act
        var result = ImageFineTuner.Run(request, NullLogger.Instance);
        using var loaded = ImageClassifier.Load(request.OutputFolder);
        var probabilities = loaded.Predict(request.Validation.Select(e => (e.Pixels, e.Height, e.Width)).ToList());
        var wide = loaded.Predict([(new byte[24 * 40 * 3], 24, 40)]);

        // Assert
        Assert.NotNull(result.ProbeMacroF1);
        Assert.True(result.ProbeMacroF1 > 0.8, $"probe macro-F1 {result.ProbeMacroF1}");
        Assert.Equal(66, result.TrainableParameters);
        Assert.Equal(["red", "blue"], loaded.Tasks[0].LabelNames);
        Assert.Equal(16, loaded.ImageSize);
        Assert.All(probabilities.Concat(wide), p => Assert.Equal(1f, p["label"].Sum(), 4));
        var correct = probabilities.Zip(request.Validation).Count(x => Array.IndexOf(x.First["label"], x.First["label"].Max()) == x.Second.Labels["label"][0]);
        Assert.True(correct >= request.Validation.Count * 0.8, $"{correct} of {request.Validation.Count} served predictions are right");
        AssertBackboneUnchanged(loaded, request.ModelBase, _ => true);
        AssertBackboneUnchanged(loaded, request.OutputFolder, _ => true);
    }

    [Fact]
    public void Partial_unfreezing_trains_only_the_last_stages_and_keeps_the_frozen_BatchNorm_statistics()
    {
        // Arrange
        var request = Request(ImageFineTuneTechnique.Partial) with { UnfreezeStages = 1 };

        // Act
        var result = ImageFineTuner.Run(request, NullLogger.Instance);
        using var loaded = ImageClassifier.Load(request.OutputFolder);

        // Assert
        Assert.NotNull(result.Training);
        Assert.True(File.Exists(Path.Combine(request.CheckpointFolder, "metrics.jsonl")));
        Assert.Equal(8, result.Training.OptimizerSteps);
        AssertBackboneUnchanged(loaded, request.ModelBase, name => !name.StartsWith("layer4.", StringComparison.Ordinal));
        using var base1 = ResNetFolder.Load(request.ModelBase);
        var before = base1.state_dict();
        var after = loaded.Backbone.state_dict();
        Assert.False(after["layer4.0.conv2.weight"].allclose(before["layer4.0.conv2.weight"]), "layer4 trains");
        Assert.False(after["layer4.0.bn1.running_mean"].allclose(before["layer4.0.bn1.running_mean"]), "layer4 trains, so its BatchNorm statistics move");
    }

    [Fact]
    public void Frozen_stages_stay_in_eval_mode_when_the_classifier_trains()
    {
        // Arrange
        var folder = TinyImages.BaseFolder(_dir);
        using var model = new ImageClassifier(ResNetFolder.Load(folder), new ImageNormalization(ImagePreprocessing.TorchVision), Tasks, 16, 20);

        // Act
        var trainable = model.Unfreeze(2);
        model.train();

        // Assert
        Assert.False(model.Backbone.Layers[1].training);
        Assert.True(model.Backbone.Layers[2].training);
        Assert.True(model.Backbone.Layers[3].training);
        Assert.DoesNotContain(model.Backbone.Layers[0].parameters(), p => p.requires_grad);
        Assert.True(model.Backbone.Layers[2].parameters().All(p => p.requires_grad));
        Assert.Equal(model.Backbone.Layers.Skip(2).Sum(l => l.parameters().Sum(p => p.numel())) + 66, trainable);
    }

    [Fact]
    public void A_killed_full_image_run_resumes_exactly_where_it_stopped()
    {
        // Arrange
        var plain = Request(ImageFineTuneTechnique.Full) with { CheckpointFolder = Path.Combine(_dir, "a"), OutputFolder = Path.Combine(_dir, "out-a") };
        var killed = plain with { CheckpointFolder = Path.Combine(_dir, "b"), OutputFolder = Path.Combine(_dir, "out-b") };

        // Act
        var expected = ImageFineTuner.Run(plain, NullLogger.Instance);
        using (var cts = new CancellationTokenSource())
        {
            Assert.Throws<OperationCanceledException>(() => ImageFineTuner.Run(killed, NullLogger.Instance, new StopAt(5, cts), cts.Token));
        }

        var resumed = ImageFineTuner.Run(killed, NullLogger.Instance);

        // Assert
        Assert.Equal(4, resumed.Training!.ResumedFromStep);
        Assert.Equal(expected.Training!.OptimizerSteps, resumed.Training.OptimizerSteps);
        using var a = ImageClassifier.Load(plain.OutputFolder);
        using var b = ImageClassifier.Load(killed.OutputFolder);
        var bState = b.state_dict();
        foreach (var (name, value) in a.state_dict())
        {
            Assert.True(value.eq(bState[name]).all().item<bool>(), $"{name} differs after resuming");
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ImageFineTuneRequest Request(ImageFineTuneTechnique technique) => new()
    {
        ModelBase = File.Exists(Path.Combine(_dir, "tiny-resnet", "config.json")) ? Path.Combine(_dir, "tiny-resnet") : TinyImages.BaseFolder(_dir),
        Tasks = Tasks,
        Train = TinyImages.TwoColours(16, 20, seed: 1),
        Validation = TinyImages.TwoColours(16, 20, seed: 2),
        OutputFolder = Path.Combine(_dir, "out"),
        CheckpointFolder = Path.Combine(_dir, "checkpoints"),
        Technique = technique,
        ImageSize = 16,
        ResizeSize = 20,
        TrainOptions = Fast,
    };

    private static void AssertBackboneUnchanged(ImageClassifier trained, string baseFolder, Func<string, bool> frozen)
    {
        using var original = ResNetFolder.Load(baseFolder);
        var before = original.state_dict();
        foreach (var (name, value) in trained.Backbone.state_dict())
        {
            if (frozen(name) && !name.EndsWith("num_batches_tracked", StringComparison.Ordinal))
            {
                Assert.True(value.eq(before[name]).all().item<bool>(), $"{name} changed but is frozen");
            }
        }
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
