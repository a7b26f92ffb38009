using System.Buffers.Binary;
using System.IO.Compression;
using Pipeline.Data.Images;
using SkiaSharp;

namespace Pipeline.Data.Tests;

/// <summary>Images and IDX files made by the tests.</summary>
internal static class TestImages
{
    /// <summary>A <paramref name="size"/>² picture of 8 × 8 random colour blocks: different seeds give unrelated pictures.</summary>
    public static RgbImage Blocks(int seed, int size = 64)
    {
        var random = new Random(seed);
        var colours = Enumerable.Range(0, 64).Select(_ => new[] { (byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256) }).ToArray();
        var pixels = new byte[size * size * 3];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var colour = colours[(y * 8 / size * 8) + (x * 8 / size)];
                colour.CopyTo(pixels, ((y * size) + x) * 3);
            }
        }

        return new RgbImage(pixels, size, size);
    }

    /// <summary>A slightly altered copy: a 4 × 4 patch in a corner brightened by 6.</summary>
    public static RgbImage Altered(RgbImage image)
    {
        var pixels = (byte[])image.Pixels.Clone();
        for (var y = 0; y < 4; y++)
        {
            for (var x = 0; x < 4 * 3; x++)
            {
                var at = (y * image.Width * 3) + x;
                pixels[at] = (byte)Math.Min(255, pixels[at] + 6);
            }
        }

        return image with { Pixels = pixels };
    }

    /// <summary>The image encoded by SkiaSharp (PNG, JPEG, WebP…).</summary>
    public static byte[] Encode(RgbImage image, SKEncodedImageFormat format = SKEncodedImageFormat.Png, int quality = 100)
    {
        var rgba = new byte[image.Height * image.Width * 4];
        for (int from = 0, to = 0; from < image.Pixels.Length; from += 3, to += 4)
        {
            rgba[to] = image.Pixels[from];
            rgba[to + 1] = image.Pixels[from + 1];
            rgba[to + 2] = image.Pixels[from + 2];
            rgba[to + 3] = 255;
        }

        using var skia = SKImage.FromPixelCopy(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque), rgba);
        using var data = skia.Encode(format, quality);
        return data.ToArray();
    }

    /// <summary>An IDX images file (idx3-ubyte) of <paramref name="images"/>, each <paramref name="rows"/> × <paramref name="columns"/> bytes.</summary>
    public static byte[] IdxImages(IReadOnlyList<byte[]> images, int rows, int columns, bool gzip)
    {
        var bytes = new byte[16 + (images.Count * rows * columns)];
        BinaryPrimitives.WriteInt32BigEndian(bytes, 0x0803);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), images.Count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), columns);
        for (var i = 0; i < images.Count; i++)
        {
            images[i].CopyTo(bytes, 16 + (i * rows * columns));
        }

        return gzip ? Gzip(bytes) : bytes;
    }

    /// <summary>An IDX labels file (idx1-ubyte).</summary>
    public static byte[] IdxLabels(IReadOnlyList<byte> labels, bool gzip)
    {
        var bytes = new byte[8 + labels.Count];
        BinaryPrimitives.WriteInt32BigEndian(bytes, 0x0801);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), labels.Count);
        labels.ToArray().CopyTo(bytes, 8);
        return gzip ? Gzip(bytes) : bytes;
    }

    public static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }

    public static byte[] Gunzip(string path)
    {
        using var input = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
