using System.Diagnostics;
using Pipeline.Training.Heads;
using Pipeline.Training.Vision;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Training.Benchmarks;

/// <summary>
/// Shape of the image benchmark (<c>./build.sh Benchmark --suite image</c>). Defaults are the
/// CNTK ResNet18's: stages [2, 2, 2, 3], base width 64, 224×224 inputs, batch 16, 10 classes.
/// </summary>
public sealed record ImageBenchmarkOptions
{
    /// <summary>BasicBlocks per stage. Default [2, 2, 2, 3] (resnet-cntk).</summary>
    public IReadOnlyList<int> Layers { get; init; } = [2, 2, 2, 3];

    /// <summary>Stem channels. Default 64.</summary>
    public int BaseWidth { get; init; } = 64;

    /// <summary>Square input side. Default 224.</summary>
    public int ImageSize { get; init; } = 224;

    /// <summary>Images per step. Default 16.</summary>
    public int Batch { get; init; } = 16;

    /// <summary>Classes of the new head. Default 10.</summary>
    public int Classes { get; init; } = 10;

    /// <summary>Timed steps per measurement. Default 3; at least 1.</summary>
    public int Steps { get; init; } = 3;

    /// <summary>Untimed steps first. Default 1.</summary>
    public int WarmupSteps { get; init; } = 1;

    /// <summary>Device to measure on. Default the CPU.</summary>
    public Device? Device { get; init; }
}

/// <summary>One measured step of an image technique.</summary>
/// <param name="Technique"><c>frozen-forward</c>, <c>cached-head</c> or <c>full</c>.</param>
/// <param name="SecondsPerStep">Mean seconds per timed step of <see cref="ImageBenchmarkOptions.Batch"/> images.</param>
/// <param name="ImagesPerSecond">Images per second.</param>
public sealed record ImageStepMeasurement(string Technique, double SecondsPerStep, double ImagesPerSecond);

/// <summary>The image benchmark's figures.</summary>
/// <param name="FrozenForward">Head-only training's cost per new image: the frozen backbone's forward pass (eval, no gradients), done once per image when features are cached.</param>
/// <param name="CachedHead">A head step (forward, backward, AdamW) on cached features: what each probe epoch costs afterwards.</param>
/// <param name="Full">A full training step: forward, backward and AdamW over every weight.</param>
public sealed record ImageBenchmarkResult(ImageStepMeasurement FrozenForward, ImageStepMeasurement CachedHead, ImageStepMeasurement Full);

/// <summary>
/// Images per second for head-only (frozen backbone forward, then steps on cached features) and
/// full training of a ResNet (random weights: speed does not depend on them) at a fixed shape.
/// </summary>
public static class ImageBenchmark
{
    /// <summary>Measures the three steps of <paramref name="options"/>.</summary>
    public static ImageBenchmarkResult Run(ImageBenchmarkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Steps, 1);
        random.manual_seed(1);
        var device = options.Device ?? CPU;
        var config = new ResNetConfig { Layers = [.. options.Layers], BaseWidth = options.BaseWidth, NumFeatures = options.BaseWidth * 8 };
        var task = new TaskHeadSpec("bench", TaskKind.SingleLabel, options.Classes);
        using var model = new ImageClassifier(new ResNet(config), new ImageNormalization(ImagePreprocessing.TorchVision), [task], options.ImageSize, options.ImageSize);
        model.to(device);
        using var images = randn([options.Batch, 3, options.ImageSize, options.ImageSize], device: device);
        using var targets = randint(0, options.Classes, [options.Batch], device: device);
        using var present = ones(options.Batch, dtype: ScalarType.Bool, device: device);
        var labels = new TaskLabels(targets, present);

        model.Unfreeze(0);
        model.eval();
        var frozen = Time(options, "frozen-forward", () =>
        {
            using var noGrad = no_grad();
            model.Backbone.forward(images);
        });

        Tensor features;
        using (no_grad())
        {
            features = model.Backbone.forward(images).detach();
        }

        using (features)
        {
            using var headOptimizer = optim.AdamW(model.HeadParameters(), lr: 1e-3);
            var cached = Time(options, "cached-head", () =>
            {
                var loss = TaskLosses.Loss(task, model.ForwardHeads(features)["bench"], labels);
                headOptimizer.zero_grad();
                loss.backward();
                headOptimizer.step();
            });

            model.Unfreeze(4);
            model.train();
            using var optimizer = optim.AdamW(model.parameters(), lr: 1e-4);
            var full = Time(options, "full", () =>
            {
                var loss = TaskLosses.Loss(task, model.forward(images)["bench"], labels);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
            });
            return new ImageBenchmarkResult(frozen, cached, full);
        }
    }

    private static ImageStepMeasurement Time(ImageBenchmarkOptions options, string name, Action step)
    {
        var clock = new Stopwatch();
        for (var i = 0; i < options.WarmupSteps + options.Steps; i++)
        {
            if (i == options.WarmupSteps)
            {
                Synchronize(options.Device);
                clock.Start();
            }

            using var scope = NewDisposeScope();
            step();
        }

        Synchronize(options.Device);
        var seconds = clock.Elapsed.TotalSeconds / options.Steps;
        return new ImageStepMeasurement(name, seconds, options.Batch / seconds);
    }

    private static void Synchronize(Device? device)
    {
        if (device is { type: DeviceType.CUDA })
        {
            cuda.synchronize();
        }
    }
}
