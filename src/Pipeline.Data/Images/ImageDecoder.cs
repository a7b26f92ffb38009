using SkiaSharp;

namespace Pipeline.Data.Images;

/// <summary>
/// Decodes PNG, JPEG, BMP, WebP and GIF (first frame) with SkiaSharp into <see cref="RgbImage"/>:
/// grey images become three equal channels and the alpha channel is dropped (the colour under it is
/// kept as stored, like Pillow's <c>convert("RGB")</c>). EXIF orientation is not applied.
/// </summary>
public static class ImageDecoder
{
    /// <summary>The largest image decoded, in pixels (100 megapixels): larger ones are refused rather than exhausting memory.</summary>
    public const long MaxPixels = 100_000_000;

    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".bmp", ".webp", ".gif"];

    /// <summary>The file extensions read as images (lower case, with the dot).</summary>
    public static IReadOnlyList<string> ImageExtensions => Extensions;

    /// <summary>Whether <paramref name="path"/> has one of <see cref="ImageExtensions"/> (case-insensitive).</summary>
    public static bool HasImageExtension(string path) =>
        Extensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);

    /// <summary>Decodes <paramref name="encoded"/>.</summary>
    /// <exception cref="ImageDecodeException">The bytes are empty, not an image format SkiaSharp reads, truncated or corrupt, or larger than <see cref="MaxPixels"/>.</exception>
    public static RgbImage Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IsEmpty)
        {
            throw new ImageDecodeException("The image is empty (0 bytes).");
        }

        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data)
            ?? throw new ImageDecodeException($"Not an image SkiaSharp can decode (PNG, JPEG, BMP, WebP, GIF); the data starts with {Convert.ToHexString(encoded[..Math.Min(8, encoded.Length)])}.");
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width <= 0 || height <= 0 || (long)width * height > MaxPixels)
        {
            throw new ImageDecodeException($"The image declares {width}×{height} pixels; at least 1×1 and at most {MaxPixels:N0} pixels are decoded.");
        }

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            var why = result == SKCodecResult.IncompleteInput ? "the data ends early (a truncated file)" : $"SkiaSharp reports {result}";
            throw new ImageDecodeException($"The {codec.EncodedFormat} image ({width}×{height}) cannot be decoded: {why}.");
        }

        return FromRgba(bitmap.GetPixelSpan(), height, width, bitmap.RowBytes);
    }

    /// <summary>Decodes the file at <paramref name="path"/>.</summary>
    /// <exception cref="ImageDecodeException">See <see cref="Decode(ReadOnlySpan{byte})"/>.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static RgbImage DecodeFile(string path) => Decode(File.ReadAllBytes(path));

    private static RgbImage FromRgba(ReadOnlySpan<byte> rgba, int height, int width, int rowBytes)
    {
        var rgb = new byte[height * width * RgbImage.Channels];
        var to = 0;
        for (var y = 0; y < height; y++)
        {
            var row = rgba.Slice(y * rowBytes, width * 4);
            for (var x = 0; x < row.Length; x += 4)
            {
                rgb[to++] = row[x];
                rgb[to++] = row[x + 1];
                rgb[to++] = row[x + 2];
            }
        }

        return new RgbImage(rgb, height, width);
    }
}
