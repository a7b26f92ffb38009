using static TorchSharp.torch;

namespace Pipeline.Training.Vision;

/// <summary>Training-time augmentation (<c>format.augment</c>): random resized crop and horizontal flip.</summary>
public sealed record ImageAugmentationOptions
{
    /// <summary>Whether training batches are augmented; otherwise they are centre-cropped like evaluation. Default true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Smallest fraction of the image area a random crop keeps. Default 0.08 (torchvision); within (0, <see cref="MaxScale"/>].</summary>
    public double MinScale { get; init; } = 0.08;

    /// <summary>Largest fraction of the image area a random crop keeps. Default 1; within [<see cref="MinScale"/>, 1].</summary>
    public double MaxScale { get; init; } = 1.0;

    /// <summary>Probability of a horizontal flip. Default 0.5; within [0, 1].</summary>
    public double FlipProbability { get; init; } = 0.5;

    /// <summary>Checks the ranges.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        if (!(MinScale > 0) || !(MaxScale <= 1) || MinScale > MaxScale)
        {
            throw new ArgumentOutOfRangeException(nameof(MinScale), $"Random-crop scales must satisfy 0 < min ({MinScale}) <= max ({MaxScale}) <= 1.");
        }

        if (FlipProbability is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(FlipProbability), FlipProbability, "The flip probability must be within [0, 1].");
        }
    }
}

/// <summary>
/// Crops and flips on image tensors [batch, 3, H, W]. Random choices come from torch's global
/// generator, so a seeded run is reproducible and a resumed one (which restores the generator) is exact.
/// </summary>
public static class ImageAugmentation
{
    private const int Attempts = 10;

    /// <summary>Evaluation: the centred <paramref name="size"/>×<paramref name="size"/> square (resized up first when the image is smaller).</summary>
    public static Tensor CenterCrop(Tensor images, int size)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        using var scope = NewDisposeScope();
        var (h, w) = (images.shape[2], images.shape[3]);
        var side = Math.Min(Math.Min(h, w), size);
        var top = (h - side) / 2;
        var left = (w - side) / 2;
        var crop = images[.., .., (int)top..(int)(top + side), (int)left..(int)(left + side)];
        return Resize(crop, size).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Training: for each image a random crop of <paramref name="minScale"/>–<paramref name="maxScale"/>
    /// of its area with aspect ratio within [3/4, 4/3] (the centre square when no such crop fits
    /// in 10 tries), resized to <paramref name="size"/>×<paramref name="size"/>.
    /// </summary>
    public static Tensor RandomResizedCrop(Tensor images, int size, double minScale = 0.08, double maxScale = 1.0)
    {
        ArgumentNullException.ThrowIfNull(images);
        using var scope = NewDisposeScope();
        var (h, w) = (images.shape[2], images.shape[3]);
        var crops = new List<Tensor>();
        var logLow = Math.Log(3.0 / 4);
        var logHigh = Math.Log(4.0 / 3);
        for (var i = 0; i < images.shape[0]; i++)
        {
            var draws = rand(Attempts * 4, dtype: ScalarType.Float64).data<double>().ToArray();
            Tensor? crop = null;
            for (var a = 0; a < Attempts && crop is null; a++)
            {
                var area = h * w * (minScale + ((maxScale - minScale) * draws[a * 4]));
                var ratio = Math.Exp(logLow + ((logHigh - logLow) * draws[(a * 4) + 1]));
                var cw = (long)Math.Round(Math.Sqrt(area * ratio));
                var ch = (long)Math.Round(Math.Sqrt(area / ratio));
                if (cw > 0 && ch > 0 && cw <= w && ch <= h)
                {
                    var top = (long)Math.Floor(draws[(a * 4) + 2] * (h - ch + 1));
                    var left = (long)Math.Floor(draws[(a * 4) + 3] * (w - cw + 1));
                    crop = images[i..(i + 1), .., (int)top..(int)(top + ch), (int)left..(int)(left + cw)];
                }
            }

            crops.Add(crop is null ? CenterCrop(images[i..(i + 1)], (int)Math.Min(h, w)) : crop);
        }

        return cat(crops.Select(c => Resize(c, size)).ToList(), 0).MoveToOuterDisposeScope();
    }

    /// <summary>Flips each image left-right with probability <paramref name="probability"/>.</summary>
    public static Tensor HorizontalFlip(Tensor images, double probability = 0.5)
    {
        ArgumentNullException.ThrowIfNull(images);
        using var scope = NewDisposeScope();
        var flip = rand(images.shape[0], device: images.device).lt(probability).view(-1, 1, 1, 1);
        return where(flip, images.flip(3), images).MoveToOuterDisposeScope();
    }

    private static Tensor Resize(Tensor images, int size) =>
        images.shape[2] == size && images.shape[3] == size
            ? images.alias()
            : nn.functional.interpolate(images, [size, size], mode: InterpolationMode.Bilinear, align_corners: false);
}
