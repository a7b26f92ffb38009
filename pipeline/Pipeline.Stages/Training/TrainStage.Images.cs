using Microsoft.Extensions.Logging;
using Pipeline.Configuration;
using Pipeline.Data.Formatting;
using Pipeline.Errors;
using Pipeline.Training.Training;
using Pipeline.Training.Vision;
using ConfigTechnique = Pipeline.Configuration.TrainingTechnique;

namespace Pipeline.Stages.Training;

/// <summary>What one Train run produced, text or images: the figures facts.json records.</summary>
/// <param name="TrainableParameters">Parameters that trained.</param>
/// <param name="TotalParameters">All parameters.</param>
/// <param name="Training">The trainer loop's result; null when only a linear probe trained.</param>
/// <param name="ProbeMacroF1">The linear probe's best validation macro-F1, when one trained.</param>
/// <param name="KeptProbe">LP-FT kept the probe because fine-tuning did not beat it on validation.</param>
/// <param name="TrainRows">Rows trained on.</param>
/// <param name="ValidationRows">Rows validated on.</param>
internal sealed record TrainOutcome(long TrainableParameters, long TotalParameters, TrainResult? Training, double? ProbeMacroF1, bool KeptProbe, int TrainRows, int ValidationRows)
{
    /// <summary>True for an image classifier (no tokens per second).</summary>
    public bool Images { get; init; }
}

/// <content>The image path of Train: a ResNet with a new final layer on Format's image shards.</content>
internal sealed partial class TrainStage
{
    /// <summary>
    /// Fine-tunes the image network of <c>model.base</c> with a new final layer: <c>head</c> (frozen
    /// backbone, cached features, a linear probe), <c>full</c> or <c>partial</c> (the last
    /// <c>train.unfreeze_stages</c> stages), through the same trainer loop as text.
    /// </summary>
    private static TrainOutcome TrainImages(
        PipelineOptions config, StageSettings settings, TrainingData data, string modelFolder, string checkpoints,
        TorchSharp.torch.Device device, ILogger logger, IProgress<TrainProgress>? progress, CancellationToken cancellationToken)
    {
        var technique = config.Train.Technique switch
        {
            ConfigTechnique.Head => ImageFineTuneTechnique.Head,
            ConfigTechnique.Full => ImageFineTuneTechnique.Full,
            ConfigTechnique.Partial => ImageFineTuneTechnique.Partial,
            var other => throw new PipelineException(
                $"train.technique '{TechniqueName(other)}' fine-tunes text encoders; the data are images, which train with head (a linear probe on the frozen network), full or partial (the last train.unfreeze_stages stages). Set train.technique in pipeline.yaml."),
        };
        if (config.Model.Task != ModelTask.SingleLabel)
        {
            throw new PipelineException($"model.task '{config.Model.Task}' is not trained on images yet: image models classify one label per image (model.task: single_label).");
        }

        var train = data.ReadImages(Split.Train);
        var validation = data.ReadImages(Split.Validation);
        if (train.Examples.Count == 0)
        {
            throw new PipelineException("The train split is empty: add labeled images under data/ or lower split.validation / split.test in pipeline.yaml.");
        }

        var resize = train.Examples[0].Height;
        var size = config.Format.Image.EffectiveSize;
        if (size > resize)
        {
            throw new PipelineException($"format.image.size is {size} but Format stored {resize}-pixel squares: rerun Format with format.image.resize >= {size} (./build.sh Format --force-stage Format).");
        }

        var options = config.Train;
        var request = new ImageFineTuneRequest
        {
            ModelBase = BaseModel.Locate(config.Model.Base, settings.RepositoryRoot),
            Tasks = TaskSpecs(data),
            Train = train.Examples,
            Validation = validation.Examples,
            OutputFolder = modelFolder,
            CheckpointFolder = checkpoints,
            Technique = technique,
            UnfreezeStages = options.UnfreezeStages,
            ImageSize = size,
            ResizeSize = resize,
            Augmentation = new ImageAugmentationOptions
            {
                Enabled = options.Augment.Enabled,
                MinScale = options.Augment.MinScale,
                FlipProbability = options.Augment.FlipProbability,
            },
            TrainOptions = LoopOptions(options, train.Examples.Count, padToLength: null),
            ProbeOptions = ProbeOptions(options),
            Device = device,
        };
        Starting(logger, TechniqueName(options.Technique), config.Model.Base, device.ToString(), train.Examples.Count, validation.Examples.Count, options.Epochs);
        var result = ImageFineTuner.Run(request, logger, progress, cancellationToken);
        return new TrainOutcome(result.TrainableParameters, result.TotalParameters, result.Training, result.ProbeMacroF1, KeptProbe: false, train.Examples.Count, validation.Examples.Count)
        {
            Images = true,
        };
    }
}
