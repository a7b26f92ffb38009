using Pipeline.Training.Benchmarks;

namespace Pipeline.Training.Tests;

[Collection("Sequential")]
public sealed class TrainBenchmarkSpecs
{
    [Fact]
    public void The_benchmark_measures_full_and_LoRA_steps_and_their_utilisation()
    {
        // Arrange: a tiny shape so the code path runs in moments; the real figures come from ./build.sh Benchmark
        var options = new TrainBenchmarkOptions { Layers = 1, Hidden = 32, Heads = 4, Intermediate = 64, VocabSize = 100, Batch = 2, Length = 8, Steps = 1, WarmupSteps = 1, MatmulSize = 64 };

        // Act
        var result = TrainBenchmark.Run(options);

        // Assert
        Assert.True(result.MatmulPeakGflops > 0);
        Assert.All(new[] { result.Full, result.Lora }, m =>
        {
            Assert.True(m.SecondsPerStep > 0);
            Assert.Equal(2 / m.SecondsPerStep, m.ExamplesPerSecond, 6);
            Assert.Equal(16 / m.SecondsPerStep, m.TokensPerSecond, 6);
            Assert.Equal(m.AchievedGflops / result.MatmulPeakGflops, m.Utilisation, 6);
        });
        Assert.Equal(2.0 * 16 * ((4 * 32 * 32) + (2 * 32 * 64)) + (4.0 * 2 * 8 * 8 * 32), TrainBenchmark.ForwardFlops(options));
    }
}
