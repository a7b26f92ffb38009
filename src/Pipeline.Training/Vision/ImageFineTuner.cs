using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Pipeline.Training.Loading;
using Pipeline.Training.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Training.Vision;

/// <summary>
/// One call for the Train stage on images: resolve and load the ImageNet backbone, put a new
/// final layer per task in place of its <c>fc</c>, train it (<see cref="ImageFineTuneTechnique"/>)
/// and write a folder that <see cref="ImageClassifier.Load"/> serves.
/// </summary>
public static class ImageFineTuner
{
    /// <summary>Runs <paramref name="request"/>.</summary>
    /// <exception cref="Models.ModelLoadException">The base cannot be resolved or loaded.</exception>
    /// <exception cref="TrainingDivergedException">Loss or weights became NaN/Inf.</exception>
    public static ImageFineTuneResult Run(ImageFineTuneRequest request, ILogger logger, IProgress<TrainProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(logger);
        if (request.Train.Count == 0)
        {
            throw new ArgumentException("The training set is empty.", nameof(request));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(request.UnfreezeStages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(request.UnfreezeStages, 4);
        var baseFolder = ModelResolver.Resolve(request.ModelBase);
        random.manual_seed(request.TrainOptions.Seed);
        var backbone = ResNetFolder.Load(baseFolder);
        ImageNormalization normalization;
        try
        {
            normalization = ImageNormalization.FromFolder(baseFolder, backbone.Config);
        }
        catch
        {
            backbone.Dispose();
            throw;
        }

        using var model = new ImageClassifier(backbone, normalization, request.Tasks, request.ImageSize, request.ResizeSize);
        if (request.Device is not null)
        {
            model.to(request.Device);
        }

        var train = new ImageRows(request.Train, normalization, request.ImageSize, request.Augmentation);
        var validation = new ImageRows(request.Validation, normalization, request.ImageSize, request.Augmentation);
        double? probe = null;
        double? featureSeconds = null;
        TrainResult? training = null;
        switch (request.Technique)
        {
            case ImageFineTuneTechnique.Head:
                model.Unfreeze(0);
                (probe, featureSeconds) = Probe(model, train, validation, request.ProbeOptions, logger);
                break;
            case ImageFineTuneTechnique.Full:
                model.Unfreeze(4);
                training = new Trainer(request.TrainOptions, logger).Fit(model, train, validation, request.CheckpointFolder, progress, cancellationToken);
                break;
            default:
                model.Unfreeze(request.UnfreezeStages);
                training = new Trainer(request.TrainOptions, logger).Fit(model, train, validation, request.CheckpointFolder, progress, cancellationToken);
                break;
        }

        var parameters = model.parameters().ToList();
        var trainable = parameters.Where(p => p.requires_grad).Sum(p => p.numel());
        var total = parameters.Sum(p => p.numel());
        model.Save(request.OutputFolder);
        logger.LogInformation("Image fine-tuning ({Technique}) of {Base} wrote {Folder}: {Trainable} of {Total} parameters trained, validation macro-F1 {F1:F4}.",
            request.Technique, request.ModelBase, request.OutputFolder, trainable, total, probe ?? training?.BestMacroF1 ?? 0);
        return new ImageFineTuneResult(request.Technique, request.OutputFolder, probe, training, trainable, total) { FeatureSeconds = featureSeconds };
    }

    /// <summary>Pooled backbone features [rows, features] of every row, centre-cropped, in order (eval mode, no gradients).</summary>
    public static Tensor Features(ImageClassifier model, ImageRows rows, int batchSize = 32)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        model.eval();
        using var noGrad = no_grad();
        var device = model.parameters().First().device;
        var chunks = new List<Tensor>();
        using var scope = NewDisposeScope();
        foreach (var chunk in Enumerable.Range(0, rows.Count).Chunk(batchSize))
        {
            // One scope per chunk: only the pooled features outlive it, not the images.
            using var inner = NewDisposeScope();
            chunks.Add(model.Backbone.forward(rows.Images(chunk, device, augment: false)).MoveToOuterDisposeScope());
        }

        return cat(chunks, 0).MoveToOuterDisposeScope();
    }

    private static (double F1, double Seconds) Probe(ImageClassifier model, ImageRows train, ImageRows validation, LinearProbeOptions options, ILogger logger)
    {
        var clock = Stopwatch.StartNew();
        using var trainFeatures = Features(model, train, options.FeatureBatchSize);
        using var validationFeatures = Features(model, validation, options.FeatureBatchSize);
        var seconds = clock.Elapsed.TotalSeconds;
        logger.LogInformation("Cached backbone features of {Train} training and {Validation} validation images in {Seconds:F1} s.", train.Count, validation.Count, seconds);
        var device = trainFeatures.device;
        using var scope = NewDisposeScope();
        var trainLabels = train.Labels([.. Enumerable.Range(0, train.Count)], model.Tasks, device);
        var validationLabels = validation.Labels([.. Enumerable.Range(0, validation.Count)], model.Tasks, device);
        var result = LinearProbe.FitHeads(model, trainFeatures, trainLabels, validationFeatures, validationLabels, options, logger, seconds);
        return (result.BestMacroF1, seconds);
    }
}
