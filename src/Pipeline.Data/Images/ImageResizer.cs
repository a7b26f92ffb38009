using SkiaSharp;

namespace Pipeline.Data.Images;

/// <summary>
/// Scales an image so that its shorter side is <c>size</c> and crops the centre <c>size × size</c>
/// square (torchvision's <c>Resize(size)</c> then <c>CenterCrop(size)</c>), in one SkiaSharp draw:
/// trilinear mipmap filtering when shrinking (no aliasing), Mitchell bicubic when enlarging.
/// </summary>
public static class ImageResizer
{
    /// <summary>The smallest and largest square side produced.</summary>
    public const int MinSize = 1, MaxSize = 8192;

    /// <summary>Resizes (shorter side to <paramref name="size"/>) and centre-crops <paramref name="image"/> to a square.</summary>
    public static RgbImage ResizeAndCrop(RgbImage image, int size)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, MinSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, MaxSize);
        if (image.Pixels.Length != image.Height * image.Width * RgbImage.Channels)
        {
            throw new ArgumentException($"The image has {image.Pixels.Length} bytes, not {image.Height}×{image.Width}×3.", nameof(image));
        }

        var side = Math.Min(image.Width, image.Height);
        if (image.Width == size && image.Height == size)
        {
            return image with { Pixels = (byte[])image.Pixels.Clone() };
        }

        var sourceInfo = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var source = SKImage.FromPixelCopy(sourceInfo, ToRgba(image.Pixels));
        var targetInfo = new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var surface = SKSurface.Create(targetInfo);
        var crop = SKRect.Create((image.Width - side) / 2f, (image.Height - side) / 2f, side, side);
        var sampling = size < side
            ? new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear)
            : new SKSamplingOptions(SKCubicResampler.Mitchell);
        surface.Canvas.Clear(SKColors.Black);
        surface.Canvas.DrawImage(source, crop, SKRect.Create(0, 0, size, size), sampling);
        using var bitmap = new SKBitmap(targetInfo);
        if (!surface.ReadPixels(targetInfo, bitmap.GetPixels(), bitmap.RowBytes, 0, 0))
        {
            throw new ImageDecodeException($"SkiaSharp could not read back the {size}×{size} resized image.");
        }

        var rgba = bitmap.GetPixelSpan();
        var rgb = new byte[size * size * RgbImage.Channels];
        for (int from = 0, to = 0; to < rgb.Length; from += 4)
        {
            rgb[to++] = rgba[from];
            rgb[to++] = rgba[from + 1];
            rgb[to++] = rgba[from + 2];
        }

        return new RgbImage(rgb, size, size);
    }

    private static byte[] ToRgba(byte[] rgb)
    {
        var rgba = new byte[rgb.Length / 3 * 4];
        for (int from = 0, to = 0; from < rgb.Length; from += 3)
        {
            rgba[to++] = rgb[from];
            rgba[to++] = rgb[from + 1];
            rgba[to++] = rgb[from + 2];
            rgba[to++] = 255;
        }

        return rgba;
    }
}
