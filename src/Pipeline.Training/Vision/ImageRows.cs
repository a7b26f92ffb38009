using Pipeline.Training.Heads;
using Pipeline.Training.Training;
using static TorchSharp.torch;

namespace Pipeline.Training.Vision;

/// <summary>
/// Image rows for the <see cref="Trainer"/>: a batch becomes normalised [batch, 3, size, size]
/// images, randomly cropped and flipped for training (<see cref="ImageAugmentationOptions"/>),
/// centre-cropped for validation. Every row has the same bucketing length.
/// </summary>
public sealed class ImageRows : ITrainingRows
{
    private readonly IReadOnlyList<ImageExample> _examples;
    private readonly List<TrainingExample> _labels;
    private readonly ImageNormalization _normalization;
    private readonly int _size;
    private readonly ImageAugmentationOptions _augmentation;

    /// <param name="examples">The images.</param>
    /// <param name="normalization">The network's normalisation (not owned).</param>
    /// <param name="size">The square side the network sees (e.g. 224).</param>
    /// <param name="augmentation">Training-time augmentation. Default on, torchvision's ranges.</param>
    public ImageRows(IReadOnlyList<ImageExample> examples, ImageNormalization normalization, int size, ImageAugmentationOptions? augmentation = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(normalization);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _augmentation = augmentation ?? new ImageAugmentationOptions();
        _augmentation.Validate();
        _examples = examples;
        _labels = examples.Select(e => new TrainingExample([], e.Labels)).ToList();
        _normalization = normalization;
        _size = size;
    }

    public int Count => _examples.Count;

    public int Length(int row) => 1;

    public IReadOnlyCollection<string> Tasks(int row) => _examples[row].Labels.Keys.ToArray();

    public TrainingBatch Collate(int[] rows, IReadOnlyList<TaskHeadSpec> tasks, Device device, bool training)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var images = Images(rows, device, training && _augmentation.Enabled);
        return new([images], Labels(rows, tasks, device), 0, 0);
    }

    /// <summary>Labels per task of <paramref name="rows"/>, with the presence mask.</summary>
    public Dictionary<string, TaskLabels> Labels(int[] rows, IReadOnlyList<TaskHeadSpec> tasks, Device device) =>
        BatchCollator.Labels(_labels, rows, tasks, device);

    /// <summary>Normalised images [rows, 3, size, size] of <paramref name="rows"/>, augmented when <paramref name="augment"/>.</summary>
    public Tensor Images(int[] rows, Device device, bool augment)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var scope = NewDisposeScope();
        var first = _examples[rows[0]];
        var sameSize = rows.All(r => _examples[r].Height == first.Height && _examples[r].Width == first.Width);
        Tensor cropped;
        if (sameSize)
        {
            cropped = Crop(ImageNormalization.ToTensor(rows.Select(r => _examples[r].Pixels).ToList(), first.Height, first.Width, device), augment);
        }
        else
        {
            var parts = rows.Select(r => Crop(ImageNormalization.ToTensor([_examples[r].Pixels], _examples[r].Height, _examples[r].Width, device), augment)).ToList();
            cropped = cat(parts, 0);
        }

        if (augment && _augmentation.FlipProbability > 0)
        {
            cropped = ImageAugmentation.HorizontalFlip(cropped, _augmentation.FlipProbability);
        }

        return _normalization.Apply(cropped).MoveToOuterDisposeScope();
    }

    private Tensor Crop(Tensor images, bool augment) => augment
        ? ImageAugmentation.RandomResizedCrop(images, _size, _augmentation.MinScale, _augmentation.MaxScale)
        : ImageAugmentation.CenterCrop(images, _size);
}
