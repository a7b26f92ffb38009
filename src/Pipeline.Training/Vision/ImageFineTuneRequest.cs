using Pipeline.Training.Heads;
using Pipeline.Training.Training;
using static TorchSharp.torch;

namespace Pipeline.Training.Vision;

/// <summary>What trains in an image fine-tune (<c>train.technique</c>).</summary>
public enum ImageFineTuneTechnique
{
    /// <summary>Frozen backbone: features computed once and cached, then a linear probe of the new final layer.</summary>
    Head,

    /// <summary>Every weight, the backbone at <c>train.learning_rate</c> and the new head at <c>train.head_learning_rate</c>.</summary>
    Full,

    /// <summary>The last <see cref="ImageFineTuneRequest.UnfreezeStages"/> residual stages and the head; the rest frozen (BatchNorm in eval mode).</summary>
    Partial,
}

/// <summary>One image fine-tuning run: base network, tasks, technique, images and where the results go.</summary>
public sealed record ImageFineTuneRequest
{
    /// <summary><c>model.base</c>: a ResNet folder (config.json + torchvision-named model.safetensors) or <c>resnet-cntk</c>.</summary>
    public required string ModelBase { get; init; }

    /// <summary>Single-label tasks; one for plain classification.</summary>
    public required IReadOnlyList<TaskHeadSpec> Tasks { get; init; }

    /// <summary>Training images (stored as <see cref="ResizeSize"/> squares by Format, e.g. 256).</summary>
    public required IReadOnlyList<ImageExample> Train { get; init; }

    /// <summary>Validation images, centre-cropped to <see cref="ImageSize"/>.</summary>
    public required IReadOnlyList<ImageExample> Validation { get; init; }

    /// <summary>Where the trained classifier goes (config.json, model.safetensors, the mean image if any).</summary>
    public required string OutputFolder { get; init; }

    /// <summary>Checkpoints, best weights and metrics.jsonl (full and partial); resumed from when it holds a checkpoint.</summary>
    public required string CheckpointFolder { get; init; }

    /// <summary>Default <see cref="ImageFineTuneTechnique.Head"/>.</summary>
    public ImageFineTuneTechnique Technique { get; init; } = ImageFineTuneTechnique.Head;

    /// <summary><c>train.unfreeze_stages</c> for <see cref="ImageFineTuneTechnique.Partial"/>. Default 1; within [1, 4].</summary>
    public int UnfreezeStages { get; init; } = 1;

    /// <summary>The square side the network sees (the crop). Default 224; at least 1.</summary>
    public int ImageSize { get; init; } = 224;

    /// <summary>The square side images are stored at before the crop. Default 256; at least <see cref="ImageSize"/>.</summary>
    public int ResizeSize { get; init; } = 256;

    /// <summary>Training-time random resized crop and flip (full and partial). Default on.</summary>
    public ImageAugmentationOptions Augmentation { get; init; } = new();

    /// <summary>The trainer's options (full and partial): epochs, batch size, both learning rates, checkpoints, early stopping.</summary>
    public TrainOptions TrainOptions { get; init; } = new();

    /// <summary>The linear probe's options (head).</summary>
    public LinearProbeOptions ProbeOptions { get; init; } = new();

    /// <summary>Device to train on. Default the CPU.</summary>
    public Device? Device { get; init; }
}

/// <summary>What an image fine-tuning run produced.</summary>
/// <param name="Technique">What trained.</param>
/// <param name="OutputFolder">The written classifier folder.</param>
/// <param name="ProbeMacroF1">Head only: the probe's best validation macro-F1.</param>
/// <param name="Training">Full and partial: the trainer's result.</param>
/// <param name="TrainableParameters">Parameters that trained.</param>
/// <param name="TotalParameters">All parameters.</param>
public sealed record ImageFineTuneResult(
    ImageFineTuneTechnique Technique,
    string OutputFolder,
    double? ProbeMacroF1,
    TrainResult? Training,
    long TrainableParameters,
    long TotalParameters)
{
    /// <summary>Head only: seconds spent computing the cached features (train + validation).</summary>
    public double? FeatureSeconds { get; init; }
}
