using Pipeline.Data.Images;
using SkiaSharp;

namespace Pipeline.Data.Tests;

public sealed class ImageDecodingSpecs
{
    [Theory]
    [InlineData(SKEncodedImageFormat.Png)]
    [InlineData(SKEncodedImageFormat.Webp)]
    [InlineData(SKEncodedImageFormat.Jpeg)]
    public void I_can_decode_an_encoded_image_to_rgb_bytes_in_hwc_order(SKEncodedImageFormat format)
    {
        // Arrange
        var image = TestImages.Blocks(seed: 1, size: 64);
        var encoded = TestImages.Encode(image, format, quality: 100);

        // Act
        var decoded = ImageDecoder.Decode(encoded);

        // Assert
        Assert.Equal((64, 64), (decoded.Height, decoded.Width));
        Assert.Equal(64 * 64 * 3, decoded.Pixels.Length);
        var worst = image.Pixels.Zip(decoded.Pixels).Max(p => Math.Abs(p.First - p.Second));
        var mean = image.Pixels.Zip(decoded.Pixels).Average(p => Math.Abs(p.First - p.Second));
        // PNG and lossless-at-100 WebP give the pixels back; JPEG is lossy (chroma subsampling smears block edges),
        // but a swapped channel order would be off by about 85 on average.
        Assert.True(format == SKEncodedImageFormat.Jpeg ? mean < 10 : worst == 0, $"largest difference {worst}, mean {mean:F2}");
    }

    [Fact]
    public void I_can_decode_a_grey_image_and_get_three_equal_channels()
    {
        // Arrange
        var grey = Enumerable.Range(0, 12).Select(i => (byte)(i * 20)).ToArray();
        var png = PngEncoder.EncodeGrey(grey, 3, 4);

        // Act
        var decoded = ImageDecoder.Decode(png);

        // Assert
        Assert.Equal((3, 4), (decoded.Height, decoded.Width));
        for (var i = 0; i < 12; i++)
        {
            Assert.Equal([grey[i], grey[i], grey[i]], decoded.Pixels[(i * 3)..((i * 3) + 3)]);
        }
    }

    [Fact]
    public void I_can_decode_an_image_with_alpha_and_get_its_colours_without_the_alpha()
    {
        // Arrange: one opaque red pixel and one half-transparent orange pixel.
        byte[] rgba = [255, 0, 0, 255, 200, 100, 50, 128];
        using var skia = SKImage.FromPixelCopy(new SKImageInfo(2, 1, SKColorType.Rgba8888, SKAlphaType.Unpremul), rgba);
        using var png = skia.Encode(SKEncodedImageFormat.Png, 100);

        // Act
        var decoded = ImageDecoder.Decode(png.ToArray());

        // Assert
        Assert.Equal(6, decoded.Pixels.Length);
        Assert.Equal([255, 0, 0], decoded.Pixels[..3]);
        Assert.InRange(decoded.Pixels[3], 198, 202);
        Assert.InRange(decoded.Pixels[4], 98, 102);
        Assert.InRange(decoded.Pixels[5], 48, 52);
    }

    [Fact]
    public void I_can_resize_the_shorter_side_and_crop_the_centre_square()
    {
        // Arrange: 60 × 20, red | green | blue thirds; the centre square is the green third.
        var pixels = new byte[20 * 60 * 3];
        for (var y = 0; y < 20; y++)
        {
            for (var x = 0; x < 60; x++)
            {
                pixels[(((y * 60) + x) * 3) + (x / 20)] = 255;
            }
        }

        var image = ImageDecoder.Decode(TestImages.Encode(new RgbImage(pixels, 20, 60)));

        // Act
        var small = ImagePreparation.Prepare(TestImages.Encode(image), 10);

        // Assert
        Assert.Equal((10, 10), (small.Height, small.Width));
        for (var i = 0; i < 100; i++)
        {
            var (r, g, b) = (small.Pixels[i * 3], small.Pixels[(i * 3) + 1], small.Pixels[(i * 3) + 2]);
            Assert.True(g > 150 && r < 100 && b < 100, $"pixel {i}: ({r}, {g}, {b})");
        }

        Assert.Equal([0, 255, 0], small.Pixels[(55 * 3)..((55 * 3) + 3)]);
    }

    [Fact]
    public void I_can_enlarge_a_small_grey_image_to_256_and_a_flat_image_stays_flat()
    {
        // Arrange
        var flat = PngEncoder.EncodeGrey(Enumerable.Repeat((byte)77, 28 * 28).ToArray(), 28, 28);

        // Act
        var large = ImagePreparation.Prepare(flat, 256);

        // Assert
        Assert.Equal((256, 256), (large.Height, large.Width));
        Assert.All(large.Pixels, p => Assert.InRange(p, 76, 78));
    }

    [Fact]
    public void I_get_an_image_decode_exception_for_bytes_that_are_not_an_image_or_a_truncated_one()
    {
        // Arrange
        var png = TestImages.Encode(TestImages.Blocks(seed: 2, size: 64));
        var truncated = png[..(png.Length / 2)];

        // Act
        var garbage = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode("not an image at all"u8));
        var cut = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(truncated));
        var empty = Assert.Throws<ImageDecodeException>(() => ImagePreparation.Prepare([], 32));

        // Assert
        Assert.Contains("Not an image", garbage.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", cut.Message, StringComparison.Ordinal);
        Assert.Contains("empty", empty.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<Pipeline.Errors.PipelineException>(garbage);
    }

    [Fact]
    public void I_can_tell_a_slightly_altered_copy_from_a_different_picture_by_the_difference_hash()
    {
        // Arrange
        var image = TestImages.Blocks(seed: 3);
        var jpeg = ImageDecoder.Decode(TestImages.Encode(image, SKEncodedImageFormat.Jpeg, 85));

        // Act
        var original = ImageHashes.Difference(image);
        var altered = ImageHashes.Difference(TestImages.Altered(image));
        var reencoded = ImageHashes.Difference(jpeg);
        var others = Enumerable.Range(10, 20).Select(seed => ImageHashes.Distance(original, ImageHashes.Difference(TestImages.Blocks(seed)))).ToList();

        // Assert
        Assert.True(ImageHashes.Distance(original, altered) <= 2);
        Assert.True(ImageHashes.Distance(original, reencoded) <= 4);
        Assert.True(others.Min() > 12, $"closest unrelated picture: {others.Min()} bits");
        Assert.NotEqual(ImageHashes.Content(image), ImageHashes.Content(TestImages.Altered(image)));
        Assert.Equal(ImageHashes.Content(image), ImageHashes.Content(ImageDecoder.Decode(TestImages.Encode(image))));
    }
}
