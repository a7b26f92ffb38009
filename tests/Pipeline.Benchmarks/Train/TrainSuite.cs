using Pipeline.Training.Benchmarks;

namespace Pipeline.Benchmarks.Train;

/// <summary>
/// <c>./build.sh Benchmark --suite train</c>: full and LoRA (r=8, query and value) training
/// steps on a MiniLM-shaped encoder (6 layers, hidden 384, 12 heads, FFN 1536, batch 16,
/// length 128), against a matrix-multiply probe of this machine's fp32 peak.
/// </summary>
internal static class TrainSuite
{
    public static int Run(int steps, int threads, double loraDropout)
    {
        if (threads > 0)
        {
            TorchSharp.torch.set_num_threads(threads);
        }

        var options = new TrainBenchmarkOptions { Steps = steps, LoraDropout = loraDropout };
        Console.WriteLine($"MiniLM-shaped encoder: {options.Layers} layers, hidden {options.Hidden}, {options.Heads} heads, FFN {options.Intermediate}, batch {options.Batch}, length {options.Length}; {options.Steps} timed steps after {options.WarmupSteps} warm-up; {Environment.ProcessorCount} cores, {TorchSharp.torch.get_num_threads()} libtorch threads; LoRA r={options.LoraRank} on query and value, dropout {options.LoraDropout}");
        var result = TrainBenchmark.Run(options);
        Console.WriteLine();
        foreach (var probe in result.Matmul)
        {
            Console.WriteLine($"matmul fp32 {probe.Size}x{probe.Size}x{probe.Size}: best of {options.MatmulRepetitions} after a warm-up {probe.BestSeconds * 1000:F1} ms, {probe.Gflops:F1} GFLOP/s");
        }

        Console.WriteLine($"matmul fp32 peak (best of the sizes): {result.MatmulPeakGflops:F1} GFLOP/s");
        Console.WriteLine("Full and LoRA steps alternate; each figure is the median of the timed steps.");
        Console.WriteLine("| technique | s/step | forward s | backward s | optimizer s | CPU s/step | examples/s | tokens/s | GFLOP/s | utilisation |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var step in new[] { result.Full, result.Lora })
        {
            Console.WriteLine($"| {step.Technique} | {step.SecondsPerStep:F3} | {step.ForwardSeconds:F3} | {step.BackwardSeconds:F3} | {step.OptimizerSeconds:F3} | {step.CpuSecondsPerStep:F3} | {step.ExamplesPerSecond:F1} | {step.TokensPerSecond:F0} | {step.AchievedGflops:F1} | {step.Utilisation:P0} |");
        }

        Console.WriteLine();
        Console.WriteLine($"full utilisation: {result.Full.Utilisation:P0} (goal >= 60%)");
        Console.WriteLine($"LoRA step / full step: {result.LoraToFullStepRatio:F2} (goal <= 0.6); by CPU time {result.LoraToFullCpuRatio:F2}");
        return 0;
    }
}
