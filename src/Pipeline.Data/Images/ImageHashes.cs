using System.Buffers.Binary;
using System.IO.Hashing;
using System.Numerics;

namespace Pipeline.Data.Images;

/// <summary>Hashes for Clean: an exact content hash of the decoded pixels and a 64-bit perceptual difference hash (dHash).</summary>
public static class ImageHashes
{
    private const int GridWidth = 9, GridHeight = 8;

    /// <summary>XxHash128 of encoded bytes as 32 lower-case hex digits (the fingerprint of an image file).</summary>
    public static string Encoded(ReadOnlySpan<byte> encoded) => Convert.ToHexStringLower(XxHash128.Hash(encoded));

    /// <summary>XxHash128 of the size and the decoded RGB pixels: the same picture stored as PNG or BMP hashes the same.</summary>
    public static UInt128 Content(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var hash = new XxHash128();
        Span<byte> size = stackalloc byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(size, image.Height);
        BinaryPrimitives.WriteInt32LittleEndian(size[4..], image.Width);
        hash.Append(size);
        hash.Append(image.Pixels);
        return hash.GetCurrentHashAsUInt128();
    }

    /// <summary>
    /// The difference hash: the luma image averaged over a 9 × 8 grid of cells (area average, so any size works),
    /// and one bit per pair of horizontal neighbours, set when the left cell is brighter. Small edits,
    /// re-encoding, rescaling and brightness shifts change few bits; different pictures differ in about half.
    /// </summary>
    public static ulong Difference(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        Span<double> cells = stackalloc double[GridWidth * GridHeight];
        Span<double> weights = stackalloc double[GridWidth * GridHeight];
        for (var y = 0; y < image.Height; y++)
        {
            var cy = (int)((long)y * GridHeight / image.Height);
            var row = y * image.Width * 3;
            for (var x = 0; x < image.Width; x++)
            {
                var cx = (int)((long)x * GridWidth / image.Width);
                var at = row + (x * 3);
                var luma = (0.299 * image.Pixels[at]) + (0.587 * image.Pixels[at + 1]) + (0.114 * image.Pixels[at + 2]);
                cells[(cy * GridWidth) + cx] += luma;
                weights[(cy * GridWidth) + cx] += 1;
            }
        }

        // An image narrower than 9 or lower than 8 pixels leaves cells empty: they take their left (or upper) neighbour's value.
        for (var i = 0; i < cells.Length; i++)
        {
            cells[i] = weights[i] > 0 ? cells[i] / weights[i] : i % GridWidth > 0 ? cells[i - 1] : i >= GridWidth ? cells[i - GridWidth] : 0;
        }

        ulong bits = 0;
        for (var y = 0; y < GridHeight; y++)
        {
            for (var x = 0; x < GridWidth - 1; x++)
            {
                bits <<= 1;
                if (cells[(y * GridWidth) + x] > cells[(y * GridWidth) + x + 1])
                {
                    bits |= 1;
                }
            }
        }

        return bits;
    }

    /// <summary>The side of <see cref="Thumbnail"/>'s square.</summary>
    public const int ThumbnailSide = 16;

    /// <summary>
    /// The luma image averaged over a 16 × 16 grid of cells (area average; a side shorter than 16 pixels
    /// repeats its pixels): 256 bytes that confirm a dHash match, since a 64-bit dHash alone cannot tell
    /// apart small pictures of similar shape (Fashion-MNIST's trousers share a handful of hashes).
    /// </summary>
    public static byte[] Thumbnail(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        const int Side = ThumbnailSide;
        Span<double> sums = stackalloc double[Side * Side];
        Span<int> weights = stackalloc int[Side * Side];
        for (var y = 0; y < image.Height; y++)
        {
            var (cy0, cy1) = (y * Side / image.Height, (((y + 1) * Side) - 1) / image.Height);
            for (var x = 0; x < image.Width; x++)
            {
                var (cx0, cx1) = (x * Side / image.Width, (((x + 1) * Side) - 1) / image.Width);
                var at = ((y * image.Width) + x) * 3;
                var luma = (0.299 * image.Pixels[at]) + (0.587 * image.Pixels[at + 1]) + (0.114 * image.Pixels[at + 2]);
                for (var cy = cy0; cy <= cy1; cy++)
                {
                    for (var cx = cx0; cx <= cx1; cx++)
                    {
                        sums[(cy * Side) + cx] += luma;
                        weights[(cy * Side) + cx]++;
                    }
                }
            }
        }

        var thumbnail = new byte[Side * Side];
        for (var i = 0; i < thumbnail.Length; i++)
        {
            thumbnail[i] = (byte)Math.Round(sums[i] / weights[i]);
        }

        return thumbnail;
    }

    /// <summary>The mean absolute difference of two <see cref="Thumbnail"/>s, in grey levels (0 to 255).</summary>
    public static double ThumbnailDifference(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Thumbnails of {a.Length} and {b.Length} bytes.", nameof(b));
        }

        long total = 0;
        for (var i = 0; i < a.Length; i++)
        {
            total += Math.Abs(a[i] - b[i]);
        }

        return (double)total / a.Length;
    }

    /// <summary>The number of bits in which <paramref name="a"/> and <paramref name="b"/> differ.</summary>
    public static int Distance(ulong a, ulong b) => BitOperations.PopCount(a ^ b);
}
