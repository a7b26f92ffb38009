using System.Diagnostics;
using System.IO.Compression;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Data.Images;
using Pipeline.Training.Benchmarks;
using Pipeline.Training.Heads;
using Pipeline.Training.Training;
using Pipeline.Training.Vision;

namespace Pipeline.Benchmarks.Image;

/// <summary>
/// <c>./build.sh Benchmark --suite image</c>: images/s of head-only (the frozen backbone's forward,
/// then steps on cached features) and full training of a ResNet18-CNTK-shaped network at 224×224,
/// batch 16; then, when Fashion-MNIST is installed (<c>apt-get install dataset-fashion-mnist</c>),
/// the test accuracy that <c>head</c> and <c>full</c> reach from <c>resnet-cntk</c> on its first
/// training images, with the wall time each took.
/// </summary>
internal static class ImageSuite
{
    private const string FashionMnist = "/usr/share/datasets/fashion-mnist";

    /// <param name="work">Where the trained models go.</param>
    /// <param name="steps">Timed steps per speed measurement.</param>
    /// <param name="trainImages">Fashion-MNIST training images (default 5,000); validation is 1,000 more, test the first 2,000 of t10k.</param>
    /// <param name="imageSize">Side the network sees in the accuracy runs (images are stored at size + size/8).</param>
    /// <param name="epochs">Epochs of the full fine-tune.</param>
    public static int Run(string work, int steps, int trainImages, int imageSize, int epochs)
    {
        var options = new ImageBenchmarkOptions { Steps = steps };
        Console.WriteLine($"ResNet (stages [{string.Join(", ", options.Layers)}], random weights) at {options.ImageSize}x{options.ImageSize}, batch {options.Batch}; {options.Steps} timed steps after {options.WarmupSteps} warm-up; {Environment.ProcessorCount} cores");
        var speed = ImageBenchmark.Run(options);
        Console.WriteLine("| step | s/step | images/s |");
        Console.WriteLine("|---|---:|---:|");
        foreach (var m in new[] { speed.FrozenForward, speed.CachedHead, speed.Full })
        {
            Console.WriteLine($"| {m.Technique} | {m.SecondsPerStep:F3} | {m.ImagesPerSecond:F1} |");
        }

        Console.WriteLine();
        if (!Directory.Exists(FashionMnist))
        {
            Console.WriteLine($"{FashionMnist} is absent (apt-get install dataset-fashion-mnist): accuracy runs skipped.");
            return 0;
        }

        var resize = imageSize + (imageSize / 8);
        var clock = Stopwatch.StartNew();
        var train = Read("train", 0, trainImages, resize);
        var validation = Read("train", 50_000, 1_000, resize);
        var test = Read("t10k", 0, 2_000, resize);
        Console.WriteLine($"Fashion-MNIST: {train.Count} training, {validation.Count} validation, {test.Count} test images, 28x28 grey resized to {resize} and cropped to {imageSize} (read in {clock.Elapsed.TotalSeconds:F0} s)");
        Console.WriteLine("| technique | test accuracy | validation macro-F1 | wall s |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var technique in new[] { ImageFineTuneTechnique.Head, ImageFineTuneTechnique.Full })
        {
            clock.Restart();
            var folder = Path.Combine(work, technique.ToString().ToLowerInvariant());
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            var result = ImageFineTuner.Run(new ImageFineTuneRequest
            {
                ModelBase = PackagedResNet.ShortName,
                Tasks = [new TaskHeadSpec("label", TaskKind.SingleLabel, 10)],
                Train = train,
                Validation = validation,
                OutputFolder = Path.Combine(folder, "model"),
                CheckpointFolder = Path.Combine(folder, "checkpoints"),
                Technique = technique,
                ImageSize = imageSize,
                ResizeSize = resize,
                Augmentation = new ImageAugmentationOptions { MinScale = 0.5 },
                ProbeOptions = new LinearProbeOptions { Epochs = 100, LearningRate = 0.01 },
                TrainOptions = new TrainOptions { Epochs = epochs, BatchSize = 32, LearningRate = 1e-3, HeadLearningRate = 1e-2, CheckpointEverySteps = 0, LogEverySteps = 50 },
            }, NullLogger.Instance);
            using var model = ImageClassifier.Load(result.OutputFolder);
            var predictions = model.Predict(test.Select(e => (e.Pixels, e.Height, e.Width)).ToList(), 64);
            var correct = predictions.Zip(test).Count(p => Array.IndexOf(p.First["label"], p.First["label"].Max()) == p.Second.Labels["label"][0]);
            Console.WriteLine($"| {technique.ToString().ToLowerInvariant()} | {100.0 * correct / test.Count:F1}% | {result.ProbeMacroF1 ?? result.Training?.BestMacroF1:F4} | {clock.Elapsed.TotalSeconds:F0} |");
        }

        return 0;
    }

    /// <summary>Images <paramref name="skip"/>.. of the gzipped IDX pair <paramref name="prefix"/>, grey expanded to RGB and resized as Format stores them.</summary>
    private static List<ImageExample> Read(string prefix, int skip, int count, int resize)
    {
        var images = Gunzip($"{prefix}-images-idx3-ubyte.gz");
        var labels = Gunzip($"{prefix}-labels-idx1-ubyte.gz");
        var rows = (images[8] << 24) | (images[9] << 16) | (images[10] << 8) | images[11];
        var columns = (images[12] << 24) | (images[13] << 16) | (images[14] << 8) | images[15];
        var size = rows * columns;
        var result = new List<ImageExample>(count);
        for (var i = skip; i < skip + count; i++)
        {
            var rgb = new byte[size * 3];
            for (var p = 0; p < size; p++)
            {
                var value = images[16 + (i * size) + p];
                rgb[p * 3] = value;
                rgb[(p * 3) + 1] = value;
                rgb[(p * 3) + 2] = value;
            }

            var resized = ImageResizer.ResizeAndCrop(new RgbImage(rgb, rows, columns), resize);
            result.Add(new ImageExample(resized.Pixels, resized.Height, resized.Width, new Dictionary<string, int[]> { ["label"] = [labels[8 + i]] }));
        }

        return result;
    }

    private static byte[] Gunzip(string name)
    {
        using var file = File.OpenRead(Path.Combine(FashionMnist, name));
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }
}
