using Pipeline.Training.Benchmarks;

namespace Pipeline.Training.Tests;

[Collection("Sequential")]
public sealed class TrainBenchmarkSpecs
{
    [Fact]
    public void The_benchmark_measures_full_and_LoRA_steps_and_their_utilisation()
    {
        // Arrange: a tiny shape so the code path runs in moments; the real figures come from ./build.sh Benchmark
        var options = new TrainBenchmarkOptions { Layers = 1, Hidden = 32, Heads = 4, Intermediate = 64, VocabSize = 100, Batch = 2, Length = 8, Steps = 1, WarmupSteps = 1, MatmulSizes = [32, 64], MatmulRepetitions = 2 };

        // Act
        var result = TrainBenchmark.Run(options);

        // Assert
        Assert.Equal([32, 64], result.Matmul.Select(p => p.Size));
        Assert.Equal(result.Matmul.Max(p => p.Gflops), result.MatmulPeakGflops);
        Assert.All(new[] { result.Full, result.Lora }, m =>
        {
            Assert.True(m.SecondsPerStep > 0);
            Assert.Equal(2 / m.SecondsPerStep, m.ExamplesPerSecond, 6);
            Assert.Equal(16 / m.SecondsPerStep, m.TokensPerSecond, 6);
            Assert.Equal(m.AchievedGflops / result.MatmulPeakGflops, m.Utilisation, 6);
            Assert.True(m.ForwardSeconds > 0 && m.BackwardSeconds > 0 && m.OptimizerSeconds > 0 && m.CpuSecondsPerStep >= 0);
            Assert.Equal(m.SecondsPerStep, m.ForwardSeconds + m.BackwardSeconds + m.OptimizerSeconds, 9); // one timed step: its phases add up
        });
        Assert.Equal(2.0 * 16 * ((4 * 32 * 32) + (2 * 32 * 64)) + (4.0 * 2 * 8 * 8 * 32), TrainBenchmark.ForwardFlops(options));
    }
}
