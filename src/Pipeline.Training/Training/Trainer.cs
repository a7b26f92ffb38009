using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Pipeline.Training.Heads;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Training.Training;

/// <summary>
/// The training loop in the TorchSharp/ML.NET shape: <see cref="Fit"/> runs epochs of steps (one
/// dispose scope per step), validates under <c>no_grad</c>, stops early and keeps the best
/// weights, checks for NaN/Inf, and checkpoints so that a killed run resumes exactly.
/// It trains whatever parameters of the model require gradients (full, LoRA or head-only is
/// decided by the caller freezing or adapting the encoder first).
/// </summary>
public sealed partial class Trainer
{
    private readonly TrainOptions _options;
    private readonly ILogger _logger;

    public Trainer(TrainOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _logger = logger;
    }

    /// <summary>
    /// Trains <paramref name="model"/> on <paramref name="train"/>, validating on
    /// <paramref name="validation"/>. Checkpoints go to <paramref name="checkpointDir"/>; when it
    /// already holds one, the run resumes from the newest. On return the model holds the best
    /// validation weights and <c>metrics.jsonl</c> is written beside the checkpoints.
    /// </summary>
    /// <param name="model">The classifier to train, on the device it should train on.</param>
    /// <param name="train">Tokenized training rows.</param>
    /// <param name="validation">Tokenized validation rows.</param>
    /// <param name="checkpointDir">Checkpoints, the best weights and metrics.jsonl.</param>
    /// <param name="progress">Told after every optimizer step (synchronously, on the training thread).</param>
    /// <param name="cancellationToken">Checked before every micro-batch.</param>
    /// <exception cref="TrainingDivergedException">Loss or weights became NaN/Inf.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired; the last checkpoint stays.</exception>
    public TrainResult Fit(
        TextClassifier model,
        IReadOnlyList<TrainingExample> train,
        IReadOnlyList<TrainingExample> validation,
        string checkpointDir,
        IProgress<TrainProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        var padId = model.Encoder.Config.PadTokenId;
        return Fit(model, new TextRows(train, padId, _options.PadToLength), new TextRows(validation, padId, null), checkpointDir, progress, cancellationToken);
    }

    /// <summary>
    /// The same loop for any classifier and rows (text, images): see the overload for
    /// <see cref="TextClassifier"/>. <paramref name="train"/> is collated with training-time
    /// augmentation, <paramref name="validation"/> without.
    /// </summary>
    public TrainResult Fit<TModel>(
        TModel model,
        ITrainingRows train,
        ITrainingRows validation,
        string checkpointDir,
        IProgress<TrainProgress>? progress = null,
        CancellationToken cancellationToken = default)
        where TModel : nn.Module, ITrainableClassifier
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        if (train.Count == 0)
        {
            throw new ArgumentException("The training set is empty.", nameof(train));
        }

        var wall = Stopwatch.StartNew();
        random.manual_seed(_options.Seed);
        var device = model.parameters().First().device;
        var lengths = Enumerable.Range(0, train.Count).Select(train.Length).ToArray();
        var rowTasks = Enumerable.Range(0, train.Count).Select(train.Tasks).ToArray();
        var batchesPerEpoch = (train.Count + _options.BatchSize - 1) / _options.BatchSize;
        var stepsPerEpoch = (batchesPerEpoch + _options.GradientAccumulation - 1) / _options.GradientAccumulation;
        var totalSteps = (long)stepsPerEpoch * _options.Epochs;
        var warmupSteps = (long)Math.Round(_options.WarmupRatio * totalSteps);
        using var optimizer = BuildOptimizer(model, out var baseRates);
        var store = new CheckpointStore(checkpointDir, _options.KeepLastCheckpoints);
        var state = store.LoadLatest(model, optimizer);
        long? resumedFrom = null;
        if (state is null)
        {
            state = new TrainerState();
        }
        else
        {
            resumedFrom = state.Step;
            random.set_rng_state(tensor(Convert.FromBase64String(state.RngState)));
            _logger.LogInformation("Resuming from the checkpoint at step {Step} (epoch {Epoch}, batch {Batch}).", state.Step, state.Epoch + 1, state.NextBatch);
        }

        var counters = new ThroughputCounters();
        var history = new List<MetricRecord>(state.History);
        for (var epoch = state.Epoch; epoch < _options.Epochs && !state.StoppedEarly; epoch++)
        {
            var batches = _options.TaskSampling is { } sampling && model.Tasks.Count > 1
                ? MultitaskBatcher.Batches(lengths, rowTasks, sampling, _options.BatchSize, _options.BucketBatches, _options.Seed, epoch)
                : LengthBucketedBatcher.Batches(lengths, _options.BatchSize, _options.BucketBatches, _options.Seed, epoch);
            model.train();
            var first = epoch == state.Epoch ? state.NextBatch : 0;
            for (var b = first; b < batches.Count; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var lossValue = TrainMicroBatch(model, train, batches[b], device, counters, state.Step, epoch);
                var isStep = (b + 1) % _options.GradientAccumulation == 0 || b == batches.Count - 1;
                if (!isStep)
                {
                    continue;
                }

                var rate = StepOptimizer(model, optimizer, baseRates, state.Step, totalSteps, warmupSteps, epoch, counters);
                state = state with { Step = state.Step + 1, Epoch = epoch, NextBatch = b + 1 };
                if (state.Step % _options.LogEverySteps == 0)
                {
                    history.Add(new("step", epoch, state.Step, lossValue, rate, null, null, null));
                    var stepsHere = state.Step - (resumedFrom ?? 0);
                    var eta = TimeSpan.FromSeconds(counters.Seconds / Math.Max(1, stepsHere) * (totalSteps - state.Step));
                    _logger.LogInformation(TrainLogEvents.Step, "epoch {Epoch}/{Epochs} step {Step}/{Total} loss {Loss:F4} lr {Rate:E2} {Rate2:F1} examples/s ETA {Eta:hh\\:mm\\:ss}",
                        epoch + 1, _options.Epochs, state.Step, totalSteps, lossValue, rate, counters.ExamplesPerSecond, eta);
                }

                progress?.Report(new TrainProgress(epoch, _options.Epochs, state.Step, totalSteps, lossValue, counters.ExamplesPerSecond));
                var lastInEpoch = b == batches.Count - 1;
                if (!lastInEpoch && _options.EvalEverySteps > 0 && state.Step % _options.EvalEverySteps == 0)
                {
                    state = Evaluate(model, validation, store, state, history, epoch);
                    model.train();
                    if (state.StoppedEarly)
                    {
                        break;
                    }
                }

                if (!lastInEpoch && _options.CheckpointEverySteps > 0 && state.Step % _options.CheckpointEverySteps == 0)
                {
                    Checkpoint(store, model, optimizer, state, history);
                }
            }

            if (!state.StoppedEarly)
            {
                state = Evaluate(model, validation, store, state, history, epoch);
            }

            state = state with { Epoch = epoch + 1, NextBatch = 0 };
            Checkpoint(store, model, optimizer, state, history);
        }

        CheckFinite(model, state);
        if (store.LoadBest(model))
        {
            _logger.LogInformation("Kept the best weights: macro-F1 {Best:F4} at step {Step}.", state.BestMetric, state.BestStep);
        }

        MetricsFile.Write(Path.Combine(checkpointDir, "metrics.jsonl"), history);
        var parameters = model.parameters().ToList();
        return new TrainResult
        {
            BestMacroF1 = state.BestMetric,
            BestStep = state.BestStep,
            OptimizerSteps = state.Step,
            StoppedEarly = state.StoppedEarly,
            ResumedFromStep = resumedFrom,
            TrainableParameters = parameters.Where(p => p.requires_grad).Sum(p => p.numel()),
            TotalParameters = parameters.Sum(p => p.numel()),
            ExamplesPerSecond = counters.ExamplesPerSecond,
            TokensPerSecond = counters.TokensPerSecond,
            PaddingFraction = counters.PaddingFraction,
            TrainSeconds = counters.Seconds,
            WallSeconds = wall.Elapsed.TotalSeconds,
            PeakWorkingSetBytes = PeakWorkingSet(),
            Device = device.ToString(),
            History = history,
        };
    }

    private double TrainMicroBatch(ITrainableClassifier model, ITrainingRows train, int[] rows, Device device, ThroughputCounters counters, long step, int epoch)
    {
        counters.Start();
        using var scope = NewDisposeScope();
        var batch = train.Collate(rows, model.Tasks, device, training: true);
        var logits = model.ForwardBatch(batch);
        var loss = TaskLosses.Multitask(model.Tasks, logits, batch.Labels);
        var value = loss.item<float>();
        if (!float.IsFinite(value))
        {
            throw TrainingDivergedException.At("The training loss", step + 1, epoch);
        }

        (loss / _options.GradientAccumulation).backward();
        counters.Stop(rows.Length, batch.RealTokens, batch.Slots);
        return value;
    }

    private static long PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }

    private static void Checkpoint(CheckpointStore store, nn.Module model, OptimizerHelper optimizer, TrainerState state, List<MetricRecord> history)
    {
        using var rng = random.get_rng_state();
        var withRng = state with
        {
            RngState = Convert.ToBase64String(rng.data<byte>().ToArray()),
            FrozenFingerprint = CheckpointStore.FrozenFingerprint(model),
            History = history.ToList(),
        };
        store.Save(model, optimizer, withRng);
    }
}
