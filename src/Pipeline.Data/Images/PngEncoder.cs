using SkiaSharp;

namespace Pipeline.Data.Images;

/// <summary>Encodes raw pixels as PNG (lossless), for images that arrive as raw bytes (IDX).</summary>
public static class PngEncoder
{
    /// <summary>PNG bytes of a <paramref name="height"/> × <paramref name="width"/> 8-bit grey image (rows top to bottom).</summary>
    public static byte[] EncodeGrey(ReadOnlySpan<byte> pixels, int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        if (pixels.Length != height * width)
        {
            throw new ArgumentException($"Expected {height}×{width} bytes, got {pixels.Length}.", nameof(pixels));
        }

        using var image = SKImage.FromPixelCopy(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque), pixels)
            ?? throw new ImageDecodeException($"SkiaSharp could not wrap a {height}×{width} grey image.");
        using var data = image.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new ImageDecodeException($"SkiaSharp could not encode a {height}×{width} grey image as PNG.");
        return data.ToArray();
    }
}
