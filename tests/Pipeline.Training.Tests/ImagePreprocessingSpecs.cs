using Pipeline.Training.Vision;
using static TorchSharp.torch;

namespace Pipeline.Training.Tests;

[Collection("Sequential")]
public sealed class ImagePreprocessingSpecs
{
    [Fact]
    public void A_BGR_network_gets_its_channels_swapped_and_its_mean_image_resized_and_subtracted()
    {
        // Arrange
        using var scope = NewDisposeScope();
        var pixels = new byte[2 * 2 * 3];
        for (var p = 0; p < 4; p++)
        {
            pixels[p * 3] = 10;
            pixels[(p * 3) + 1] = 20;
            pixels[(p * 3) + 2] = 30;
        }

        var meanImage = stack([full(4, 4, 1f), full(4, 4, 2f), full(4, 4, 3f)]);
        var preprocessing = new ImagePreprocessing { ChannelOrder = "bgr", Scale = 1, Mean = [0f, 0f, 0f], MeanImageFile = "mean.safetensors", Std = [1f, 1f, 2f] };
        using var normalization = new ImageNormalization(preprocessing, meanImage);

        // Act
        var x = normalization.Normalize([pixels], 2, 2);
        using (NewDisposeScope())
        {
            // A second batch of the same size reuses the resized mean image, which must outlive the first call's scope.
            normalization.Normalize([pixels], 2, 2);
        }

        var again = normalization.Normalize([pixels], 2, 2);

        // Assert
        Assert.Equal([1L, 3, 2, 2], x.shape);
        Assert.Equal(30f - 1f, x[0, 0, 0, 0].item<float>(), 4);
        Assert.Equal(20f - 2f, x[0, 1, 1, 1].item<float>(), 4);
        Assert.Equal((10f - 3f) / 2f, x[0, 2, 0, 1].item<float>(), 4);
        Assert.True(again.eq(x).all().item<bool>());
    }

    [Fact]
    public void A_torchvision_network_gets_RGB_over_255_with_ImageNet_mean_and_std()
    {
        // Arrange
        using var scope = NewDisposeScope();
        using var normalization = new ImageNormalization(ImagePreprocessing.TorchVision);

        // Act
        var x = normalization.Normalize([[255, 0, 128]], 1, 1);

        // Assert
        Assert.Equal((1f - 0.485f) / 0.229f, x[0, 0, 0, 0].item<float>(), 4);
        Assert.Equal((0f - 0.456f) / 0.224f, x[0, 1, 0, 0].item<float>(), 4);
        Assert.Equal(((128f / 255) - 0.406f) / 0.225f, x[0, 2, 0, 0].item<float>(), 4);
    }

    [Fact]
    public void Evaluation_takes_the_centre_square_and_training_crops_are_reproducible_from_the_seed()
    {
        // Arrange
        using var scope = NewDisposeScope();
        var images = arange(2 * 3 * 8 * 8, dtype: ScalarType.Float32).reshape(2, 3, 8, 8);

        // Act
        var centre = ImageAugmentation.CenterCrop(images, 4);
        random.manual_seed(5);
        var first = ImageAugmentation.HorizontalFlip(ImageAugmentation.RandomResizedCrop(images, 6, 0.3, 1.0));
        random.manual_seed(5);
        var second = ImageAugmentation.HorizontalFlip(ImageAugmentation.RandomResizedCrop(images, 6, 0.3, 1.0));
        var flipped = ImageAugmentation.HorizontalFlip(images, probability: 1.0);

        // Assert
        Assert.True(centre.eq(images[.., .., 2..6, 2..6]).all().item<bool>());
        Assert.Equal([2L, 3, 6, 6], first.shape);
        Assert.True(first.eq(second).all().item<bool>());
        Assert.True(flipped.eq(images.flip(3)).all().item<bool>());
    }

    [Fact]
    public void Images_of_the_wrong_byte_count_are_refused_with_their_index()
    {
        // Act
        var error = Assert.Throws<ArgumentException>(() => ImageNormalization.ToTensor([new byte[12], new byte[11]], 2, 2));

        // Assert
        Assert.Contains("Image 1 has 11 bytes", error.Message, StringComparison.Ordinal);
    }
}
