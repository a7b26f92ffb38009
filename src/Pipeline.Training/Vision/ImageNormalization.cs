using static TorchSharp.torch;

namespace Pipeline.Training.Vision;

/// <summary>
/// The network's own input normalisation on the torch side: a batch of 0–255 RGB images
/// [batch, 3, H, W] becomes <c>(pixel × scale − mean) / std</c> in the network's channel order,
/// subtracting a mean image (resized bilinearly to H×W when it is another size) or per-channel means.
/// </summary>
public sealed class ImageNormalization : IDisposable
{
    private readonly Tensor? _meanImage;
    private readonly float[] _mean;
    private readonly float[] _std;
    private readonly Dictionary<(long H, long W, string Device), Tensor> _resized = [];
    private readonly Lock _resizedLock = new();

    /// <param name="preprocessing">What the network wants.</param>
    /// <param name="meanImage">The mean image [3, H, W] (network channel order, after scaling) when <paramref name="preprocessing"/> names one; owned from now on.</param>
    public ImageNormalization(ImagePreprocessing preprocessing, Tensor? meanImage = null)
    {
        ArgumentNullException.ThrowIfNull(preprocessing);
        preprocessing.Validate("preprocessing");
        Preprocessing = preprocessing;
        // Owned for this object's lifetime: out of any dispose scope the caller may be in.
        _meanImage = meanImage?.to_type(ScalarType.Float32).DetachFromDisposeScope();
        _mean = preprocessing.Mean;
        _std = preprocessing.Std;
    }

    /// <summary>What this normalisation does.</summary>
    public ImagePreprocessing Preprocessing { get; }

    /// <summary>The mean image [3, H, W], when the network subtracts one.</summary>
    public Tensor? MeanImage => _meanImage;

    /// <summary>The normalisation of the model folder <paramref name="folder"/> described by <paramref name="config"/> (reads its mean image, if any).</summary>
    public static ImageNormalization FromFolder(string folder, ResNetConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new ImageNormalization(config.Preprocessing, ResNetFolder.LoadMeanImage(folder, config));
    }

    /// <summary>
    /// Packs same-sized 8-bit RGB images (row-major HWC bytes, <paramref name="height"/> × <paramref name="width"/> × 3 each)
    /// into a float tensor [batch, 3, H, W] of 0–255 values on <paramref name="device"/>.
    /// </summary>
    /// <exception cref="ArgumentException">An image has the wrong number of bytes.</exception>
    public static Tensor ToTensor(IReadOnlyList<byte[]> pixels, int height, int width, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        var size = height * width * 3;
        var packed = new byte[pixels.Count * size];
        for (var i = 0; i < pixels.Count; i++)
        {
            if (pixels[i].Length != size)
            {
                throw new ArgumentException($"Image {i} has {pixels[i].Length} bytes; a {height}×{width} RGB image has {size}. All images of a batch must share one size.", nameof(pixels));
            }

            Buffer.BlockCopy(pixels[i], 0, packed, i * size, size);
        }

        using var scope = NewDisposeScope();
        var hwc = tensor(packed, [pixels.Count, height, width, 3], device: device);
        return hwc.permute(0, 3, 1, 2).to_type(ScalarType.Float32).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary><see cref="ToTensor"/> then <see cref="Apply"/>: normalised [batch, 3, H, W].</summary>
    public Tensor Normalize(IReadOnlyList<byte[]> pixels, int height, int width, Device? device = null)
    {
        using var scope = NewDisposeScope();
        return Apply(ToTensor(pixels, height, width, device)).MoveToOuterDisposeScope();
    }

    /// <summary>Normalises 0–255 RGB images [batch, 3, H, W] (float) for the network.</summary>
    public Tensor Apply(Tensor rgb)
    {
        ArgumentNullException.ThrowIfNull(rgb);
        if (rgb.dim() != 4 || rgb.shape[1] != 3)
        {
            throw new ArgumentException($"Expected images [batch, 3, H, W], got [{string.Join(", ", rgb.shape)}].", nameof(rgb));
        }

        using var scope = NewDisposeScope();
        var x = Preprocessing.IsBgr ? rgb.flip(1) : rgb;
        x = x * Preprocessing.Scale;
        if (_meanImage is not null)
        {
            x = x - MeanImageFor(rgb.shape[2], rgb.shape[3], rgb.device);
        }
        else
        {
            x = x - tensor(_mean, [1, 3, 1, 1], device: rgb.device);
        }

        x = x / tensor(_std, [1, 3, 1, 1], device: rgb.device);
        return x.MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _meanImage?.Dispose();
        lock (_resizedLock)
        {
            foreach (var mean in _resized.Values)
            {
                mean.Dispose();
            }

            _resized.Clear();
        }
    }

    /// <summary>The mean image at <paramref name="height"/>×<paramref name="width"/> on <paramref name="device"/>, resized once per size and kept (safe for concurrent callers, e.g. serving).</summary>
    private Tensor MeanImageFor(long height, long width, Device device)
    {
        var key = (height, width, device.ToString());
        lock (_resizedLock)
        {
            if (_resized.TryGetValue(key, out var cached))
            {
                return cached;
            }

            using var scope = NewDisposeScope();
            var mean = _meanImage!.to(device).unsqueeze(0);
            if (mean.shape[2] != height || mean.shape[3] != width)
            {
                mean = nn.functional.interpolate(mean, [height, width], mode: InterpolationMode.Bilinear, align_corners: false);
            }

            // Kept until Dispose: detached from every dispose scope, the caller's included.
            var kept = mean.detach().DetachFromDisposeScope();
            _resized[key] = kept;
            return kept;
        }
    }
}
