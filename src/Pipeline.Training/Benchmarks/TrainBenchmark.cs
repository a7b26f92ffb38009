using System.Diagnostics;
using Pipeline.Training.Heads;
using Pipeline.Training.Lora;
using Pipeline.Training.Models;
using static TorchSharp.torch;

namespace Pipeline.Training.Benchmarks;

/// <summary>
/// Measures this machine's fp32 matmul peak and full / LoRA training steps of a BERT-shaped
/// encoder (random weights), and reports model FLOP utilisation = achieved FLOP/s ÷ matmul peak.
/// Model FLOPs per step: full = 3 × forward (forward, input and weight gradients);
/// LoRA = 2 × forward (no weight gradients for the frozen base), adapters ignored.
/// </summary>
public static class TrainBenchmark
{
    public static TrainBenchmarkResult Run(TrainBenchmarkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Steps, 1);
        var peak = MatmulPeakGflops(options.MatmulSize);
        var forwardFlops = ForwardFlops(options);
        var full = Measure(options, "full", 3 * forwardFlops, peak, lora: false);
        var lora = Measure(options, "lora", 2 * forwardFlops, peak, lora: true);
        return new TrainBenchmarkResult(peak, full, lora);
    }

    /// <summary>Best of a few timed n×n×n fp32 matmuls, in GFLOP/s.</summary>
    public static double MatmulPeakGflops(int n)
    {
        using var scope = NewDisposeScope();
        var a = randn(n, n);
        var b = randn(n, n);
        using (var warm = a.matmul(b))
        {
        }

        var best = double.MaxValue;
        for (var i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            using var c = a.matmul(b);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }

        return 2.0 * n * n * n / best / 1e9;
    }

    /// <summary>Forward matmul FLOPs of the encoder: projections and FFN (2·params·tokens) plus attention scores and mixing.</summary>
    public static double ForwardFlops(TrainBenchmarkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        double tokens = (double)options.Batch * options.Length;
        double h = options.Hidden;
        var linear = 2.0 * tokens * ((4 * h * h) + (2 * h * options.Intermediate));
        var attention = 4.0 * options.Batch * options.Length * options.Length * h;
        return options.Layers * (linear + attention);
    }

    private static StepMeasurement Measure(TrainBenchmarkOptions options, string name, double stepFlops, double peakGflops, bool lora)
    {
        random.manual_seed(1);
        var config = new BertConfig
        {
            VocabSize = options.VocabSize,
            HiddenSize = options.Hidden,
            NumHiddenLayers = options.Layers,
            NumAttentionHeads = options.Heads,
            IntermediateSize = options.Intermediate,
            MaxPositionEmbeddings = Math.Max(512, options.Length),
        };
        var task = new TaskHeadSpec("bench", TaskKind.SingleLabel, 8);
        using var model = new TextClassifier(new BertModel(config), [task]);
        if (lora)
        {
            LoraAdapters.Apply(model.Encoder, new LoraOptions { Rank = options.LoraRank, TargetModules = ["query", "value"] });
        }

        model.train();
        using var optimizer = optim.AdamW(model.parameters().Where(p => p.requires_grad), lr: 1e-5);
        using var ids = randint(Math.Min(1000, options.VocabSize / 2), options.VocabSize, [options.Batch, options.Length]);
        using var mask = ones(options.Batch, options.Length, dtype: ScalarType.Int64);
        using var targets = randint(0, 8, [options.Batch]);
        using var present = ones(options.Batch, dtype: ScalarType.Bool);
        var labels = new TaskLabels(targets, present);
        var clock = new Stopwatch();
        for (var step = 0; step < options.WarmupSteps + options.Steps; step++)
        {
            if (step == options.WarmupSteps)
            {
                clock.Start();
            }

            using var scope = NewDisposeScope();
            var loss = TaskLosses.Loss(task, model.forward(ids, mask, null)["bench"], labels);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }

        var seconds = clock.Elapsed.TotalSeconds / options.Steps;
        var achieved = stepFlops / seconds / 1e9;
        return new StepMeasurement(name, seconds, options.Batch / seconds, options.Batch * options.Length / seconds, achieved, achieved / peakGflops);
    }
}
