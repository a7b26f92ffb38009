using Pipeline.Training.Benchmarks;

namespace Pipeline.Training.Tests;

[Collection("Sequential")]
public sealed class ImageBenchmarkSpecs
{
    [Fact]
    public void The_image_benchmark_measures_frozen_forward_cached_head_and_full_steps_of_a_small_ResNet()
    {
        // Arrange
        var options = new ImageBenchmarkOptions { Layers = [1, 1, 1, 1], BaseWidth = 4, ImageSize = 32, Batch = 4, Steps = 1, WarmupSteps = 0 };

        // Act
        var result = ImageBenchmark.Run(options);

        // Assert
        Assert.Equal(["frozen-forward", "cached-head", "full"], new[] { result.FrozenForward, result.CachedHead, result.Full }.Select(m => m.Technique));
        Assert.All(new[] { result.FrozenForward, result.CachedHead, result.Full }, m =>
        {
            Assert.True(m.SecondsPerStep > 0);
            Assert.Equal(4 / m.SecondsPerStep, m.ImagesPerSecond, 6);
        });
    }
}
