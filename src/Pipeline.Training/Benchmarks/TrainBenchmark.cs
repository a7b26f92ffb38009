using System.Diagnostics;
using Pipeline.Training.Heads;
using Pipeline.Training.Lora;
using Pipeline.Training.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Training.Benchmarks;

/// <summary>
/// Measures this machine's fp32 matmul peak and full / LoRA training steps of a BERT-shaped
/// encoder (random weights), and reports model FLOP utilisation = achieved FLOP/s ÷ matmul peak.
/// Model FLOPs per step: full = 3 × forward (forward, input and weight gradients);
/// LoRA = 2 × forward (no weight gradients for the frozen base), adapters ignored.
/// Full and LoRA steps alternate, so on a shared machine both see the same load, and each
/// technique's figure is the median of its timed steps.
/// </summary>
public static class TrainBenchmark
{
    public static TrainBenchmarkResult Run(TrainBenchmarkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Steps, 1);
        var probes = options.MatmulSizes.Select(n => MatmulProbe(n, options.MatmulRepetitions)).ToList();
        var peak = probes.Max(p => p.Gflops);
        var forwardFlops = ForwardFlops(options);
        using var full = new StepRunner(options, lora: false);
        using var lora = new StepRunner(options, lora: true);
        for (var step = 0; step < options.WarmupSteps + options.Steps; step++)
        {
            var timed = step >= options.WarmupSteps;
            full.Step(timed);
            lora.Step(timed);
        }

        return new TrainBenchmarkResult(peak, full.Measurement("full", 3 * forwardFlops, peak), lora.Measurement("lora", 2 * forwardFlops, peak))
        {
            Matmul = probes,
        };
    }

    /// <summary>Best of <paramref name="repetitions"/> timed n×n×n fp32 matmuls after one untimed warm-up, in GFLOP/s.</summary>
    public static MatmulMeasurement MatmulProbe(int n, int repetitions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(repetitions, 1);
        using var scope = NewDisposeScope();
        var a = randn(n, n);
        var b = randn(n, n);
        using (var warm = a.matmul(b))
        {
        }

        var best = double.MaxValue;
        for (var i = 0; i < repetitions; i++)
        {
            var clock = Stopwatch.StartNew();
            using var c = a.matmul(b);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }

        return new MatmulMeasurement(n, best, 2.0 * n * n * n / best / 1e9);
    }

    /// <summary>Best of a few timed n×n×n fp32 matmuls, in GFLOP/s.</summary>
    public static double MatmulPeakGflops(int n) => MatmulProbe(n, 5).Gflops;

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

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>One technique's model, optimizer and batch, stepped and timed by phase.</summary>
    private sealed class StepRunner : IDisposable
    {
        private readonly TrainBenchmarkOptions _options;
        private readonly TaskHeadSpec _task = new("bench", TaskKind.SingleLabel, 8);
        private readonly TextClassifier _model;
        private readonly OptimizerHelper _optimizer;
        private readonly Tensor _ids;
        private readonly Tensor _mask;
        private readonly TaskLabels _labels;
        private readonly List<double> _forward = [];
        private readonly List<double> _backward = [];
        private readonly List<double> _update = [];
        private readonly List<double> _total = [];
        private readonly List<double> _cpu = [];

        public StepRunner(TrainBenchmarkOptions options, bool lora)
        {
            _options = options;
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
            _model = new TextClassifier(new BertModel(config), [_task]);
            if (lora)
            {
                LoraAdapters.Apply(_model.Encoder, new LoraOptions { Rank = options.LoraRank, Dropout = options.LoraDropout, TargetModules = ["query", "value"] });
            }

            _model.train();
            _optimizer = optim.AdamW(_model.parameters().Where(p => p.requires_grad), lr: 1e-5);
            _ids = randint(Math.Min(1000, options.VocabSize / 2), options.VocabSize, [options.Batch, options.Length]);
            _mask = ones(options.Batch, options.Length, dtype: ScalarType.Int64);
            _labels = new TaskLabels(randint(0, 8, [options.Batch]), ones(options.Batch, dtype: ScalarType.Bool));
        }

        public void Step(bool timed)
        {
            using var scope = NewDisposeScope();
            var cpu = Environment.CpuUsage.TotalTime;
            var clock = Stopwatch.StartNew();
            var loss = TaskLosses.Loss(_task, _model.forward(_ids, _mask, null)["bench"], _labels);
            var forward = clock.Elapsed.TotalSeconds;
            _optimizer.zero_grad();
            loss.backward();
            var backward = clock.Elapsed.TotalSeconds;
            _optimizer.step();
            var total = clock.Elapsed.TotalSeconds;
            var cpuSeconds = (Environment.CpuUsage.TotalTime - cpu).TotalSeconds;
            if (timed)
            {
                _forward.Add(forward);
                _backward.Add(backward - forward);
                _update.Add(total - backward);
                _total.Add(total);
                _cpu.Add(cpuSeconds);
            }
        }

        public StepMeasurement Measurement(string name, double stepFlops, double peakGflops)
        {
            var seconds = Median(_total);
            var achieved = stepFlops / seconds / 1e9;
            return new StepMeasurement(name, seconds, _options.Batch / seconds, _options.Batch * _options.Length / seconds, achieved, achieved / peakGflops)
            {
                ForwardSeconds = Median(_forward),
                BackwardSeconds = Median(_backward),
                OptimizerSeconds = Median(_update),
                CpuSecondsPerStep = Median(_cpu),
            };
        }

        public void Dispose()
        {
            _model.Dispose();
            _optimizer.Dispose();
            _ids.Dispose();
            _mask.Dispose();
            _labels.Targets.Dispose();
            _labels.Present.Dispose();
        }
    }
}
