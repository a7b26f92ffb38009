using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Pipeline.Training.Heads;
using static TorchSharp.torch;

namespace Pipeline.Training.Training;

/// <summary>Result of a linear probe: best validation macro-F1, where, and how long feature caching and head training took.</summary>
public sealed record LinearProbeResult(double BestMacroF1, int BestEpoch, double FeatureSeconds, double TrainSeconds);

/// <summary>A classifier whose heads a linear probe can train on cached features.</summary>
public interface IProbeableClassifier
{
    /// <summary>The tasks, in declaration order.</summary>
    IReadOnlyList<TaskHeadSpec> Tasks { get; }

    /// <summary>The heads' parameters.</summary>
    IEnumerable<TorchSharp.Modules.Parameter> HeadParameters();

    /// <summary>The head of <paramref name="task"/>.</summary>
    ClassificationHead Head(string task);

    /// <summary>Logits per task from features [batch, features].</summary>
    Dictionary<string, Tensor> ForwardHeads(Tensor features);
}

/// <summary>
/// Trains only the heads on pooled features computed once by the frozen encoder (a linear
/// probe): seconds instead of minutes, and the head LP-FT starts the fine-tune from.
/// </summary>
public static class LinearProbe
{
    /// <summary>Pooled features [rows, hidden] of <paramref name="examples"/>, in their order (eval mode, no gradients).</summary>
    public static Tensor Features(TextClassifier model, IReadOnlyList<TrainingExample> examples, int batchSize = 32)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(examples);
        model.eval();
        using var noGrad = no_grad();
        var device = model.parameters().First().device;
        var order = Enumerable.Range(0, examples.Count).OrderBy(i => examples[i].InputIds.Count).ToArray();
        var result = zeros([examples.Count, model.Encoder.Config.HiddenSize], device: device);
        foreach (var rows in order.Chunk(batchSize))
        {
            using var scope = NewDisposeScope();
            var batch = BatchCollator.Collate(examples, rows, model.Tasks, model.Encoder.Config.PadTokenId, device);
            var features = model.Features(batch.InputIds, batch.AttentionMask);
            result.index_copy_(0, tensor(rows.Select(r => (long)r).ToArray(), device: device), features);
        }

        return result;
    }

    /// <summary>
    /// Caches features, then trains the heads with AdamW on them, validating every few epochs and
    /// keeping the best heads. The encoder is not changed.
    /// </summary>
    public static LinearProbeResult Fit(TextClassifier model, IReadOnlyList<TrainingExample> train, IReadOnlyList<TrainingExample> validation, LinearProbeOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        var clock = Stopwatch.StartNew();
        using var trainFeatures = Features(model, train, options.FeatureBatchSize);
        using var validationFeatures = Features(model, validation, options.FeatureBatchSize);
        var featureSeconds = clock.Elapsed.TotalSeconds;
        var device = trainFeatures.device;
        var trainLabels = BatchCollator.Labels(train, Enumerable.Range(0, train.Count).ToArray(), model.Tasks, device);
        var validationLabels = BatchCollator.Labels(validation, Enumerable.Range(0, validation.Count).ToArray(), model.Tasks, device);
        return FitHeads(model, trainFeatures, trainLabels, validationFeatures, validationLabels, options, logger, featureSeconds);
    }

    /// <summary>
    /// Trains the heads of <paramref name="model"/> with AdamW on features computed beforehand
    /// (rows of <paramref name="trainFeatures"/> match <paramref name="trainLabels"/>), validating
    /// every few epochs and keeping the best heads. Any classifier with heads can be probed this way.
    /// </summary>
    /// <param name="model">The classifier whose heads train.</param>
    /// <param name="trainFeatures">Training features [rows, features].</param>
    /// <param name="trainLabels">Training labels per task, one row per feature row.</param>
    /// <param name="validationFeatures">Validation features [rows, features].</param>
    /// <param name="validationLabels">Validation labels per task.</param>
    /// <param name="options">Epochs, batch size, learning rate, weight decay, seed.</param>
    /// <param name="logger">Told the result.</param>
    /// <param name="featureSeconds">How long computing the features took, for the result.</param>
    public static LinearProbeResult FitHeads(
        IProbeableClassifier model,
        Tensor trainFeatures,
        Dictionary<string, TaskLabels> trainLabels,
        Tensor validationFeatures,
        Dictionary<string, TaskLabels> validationLabels,
        LinearProbeOptions options,
        ILogger logger,
        double featureSeconds)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(trainFeatures);
        ArgumentNullException.ThrowIfNull(trainLabels);
        ArgumentNullException.ThrowIfNull(validationFeatures);
        ArgumentNullException.ThrowIfNull(validationLabels);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        var clock = Stopwatch.StartNew();
        var device = trainFeatures.device;
        var all = Enumerable.Range(0, (int)trainFeatures.shape[0]).ToArray();
        var heads = model.HeadParameters().ToList();
        using var optimizer = optim.AdamW(heads, lr: options.LearningRate, weight_decay: options.WeightDecay);
        random.manual_seed(options.Seed);
        var shuffle = new Random(options.Seed);
        var best = (F1: double.NegativeInfinity, Epoch: -1);
        var bestHeads = heads.Select(p => p.detach().clone()).ToList();
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            SetHeadsTraining(model, true);
            var order = all.ToArray();
            shuffle.Shuffle(order);
            foreach (var rows in order.Chunk(options.BatchSize))
            {
                using var scope = NewDisposeScope();
                var index = tensor(rows.Select(r => (long)r).ToArray(), device: device);
                var logits = model.ForwardHeads(trainFeatures.index_select(0, index));
                var labels = trainLabels.ToDictionary(kv => kv.Key, kv => new TaskLabels(kv.Value.Targets.index_select(0, index), kv.Value.Present.index_select(0, index)), StringComparer.Ordinal);
                var loss = TaskLosses.Multitask(model.Tasks, logits, labels);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
            }

            if (epoch % options.EvalEveryEpochs == 0 || epoch == options.Epochs)
            {
                var f1 = MacroF1(model, validationFeatures, validationLabels);
                if (f1 > best.F1)
                {
                    best = (f1, epoch);
                    using var noGrad = no_grad();
                    for (var i = 0; i < heads.Count; i++)
                    {
                        bestHeads[i].copy_(heads[i]);
                    }
                }
            }
        }

        using (no_grad())
        {
            for (var i = 0; i < heads.Count; i++)
            {
                heads[i].copy_(bestHeads[i]);
                bestHeads[i].Dispose();
            }
        }

        logger.LogInformation("Linear probe: best validation macro-F1 {F1:F4} at epoch {Epoch}; features {Features:F1} s, heads {Heads:F1} s.",
            best.F1, best.Epoch, featureSeconds, clock.Elapsed.TotalSeconds);
        return new LinearProbeResult(best.F1, best.Epoch, featureSeconds, clock.Elapsed.TotalSeconds);
    }

    private static double MacroF1(IProbeableClassifier model, Tensor features, Dictionary<string, TaskLabels> labels)
    {
        SetHeadsTraining(model, false);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var logits = model.ForwardHeads(features);
        var scores = new List<double>();
        foreach (var task in model.Tasks)
        {
            var tally = new TaskTally(task.NumLabels);
            tally.Add(task, TaskLosses.Decide(task, logits[task.Name]), labels[task.Name]);
            scores.Add(tally.MacroF1);
        }

        return scores.Average();
    }

    private static void SetHeadsTraining(IProbeableClassifier model, bool training)
    {
        foreach (var task in model.Tasks)
        {
            model.Head(task.Name).train(training);
        }
    }
}
