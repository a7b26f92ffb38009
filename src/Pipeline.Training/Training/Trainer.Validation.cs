using Microsoft.Extensions.Logging;
using Pipeline.Training.Heads;
using static TorchSharp.torch;

namespace Pipeline.Training.Training;

public sealed partial class Trainer
{
    /// <summary>Validates, records the result, saves the best weights, and counts toward early stopping.</summary>
    private TrainerState Evaluate<TModel>(TModel model, ITrainingRows validation, CheckpointStore store, TrainerState state, List<MetricRecord> history, int epoch)
        where TModel : nn.Module, ITrainableClassifier
    {
        var metrics = Validate(model, validation);
        history.Add(new("eval", epoch, state.Step, null, null, metrics.Loss, metrics.MacroF1, metrics.Accuracy));
        var improved = metrics.MacroF1 > state.BestMetric;
        if (improved)
        {
            store.SaveBest(model);
            state = state with { BestMetric = metrics.MacroF1, BestStep = state.Step, EvaluationsWithoutImprovement = 0 };
        }
        else
        {
            state = state with { EvaluationsWithoutImprovement = state.EvaluationsWithoutImprovement + 1 };
        }

        _logger.LogInformation("epoch {Epoch} step {Step}: validation loss {Loss:F4}, macro-F1 {F1:F4}{Best}",
            epoch + 1, state.Step, metrics.Loss, metrics.MacroF1, improved ? " (best so far)" : "");
        if (_options.EarlyStoppingPatience > 0 && state.EvaluationsWithoutImprovement >= _options.EarlyStoppingPatience)
        {
            _logger.LogInformation("Early stopping: macro-F1 has not improved for {Count} validations (best {Best:F4} at step {Step}).",
                state.EvaluationsWithoutImprovement, state.BestMetric, state.BestStep);
            state = state with { StoppedEarly = true };
        }

        return state;
    }

    /// <summary>Loss, per-task accuracy and macro-F1 on <paramref name="examples"/> (eval mode, no gradients).</summary>
    public ValidationMetrics Validate(TextClassifier model, IReadOnlyList<TrainingExample> examples)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(examples);
        return Validate(model, new TextRows(examples, model.Encoder.Config.PadTokenId, null));
    }

    /// <summary>Loss, per-task accuracy and macro-F1 on <paramref name="examples"/> (eval mode, no gradients, no augmentation).</summary>
    public ValidationMetrics Validate<TModel>(TModel model, ITrainingRows examples)
        where TModel : nn.Module, ITrainableClassifier
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(examples);
        model.eval();
        using var noGrad = no_grad();
        var device = model.parameters().First().device;
        var lengths = Enumerable.Range(0, examples.Count).Select(examples.Length).ToArray();
        var order = Enumerable.Range(0, examples.Count).OrderBy(i => lengths[i]).ToArray();
        var tally = model.Tasks.ToDictionary(t => t.Name, t => new TaskTally(t.NumLabels), StringComparer.Ordinal);
        double lossSum = 0;
        foreach (var rows in order.Chunk(_options.BatchSize))
        {
            using var scope = NewDisposeScope();
            var batch = examples.Collate(rows, model.Tasks, device, training: false);
            var logits = model.ForwardBatch(batch);
            lossSum += TaskLosses.Multitask(model.Tasks, logits, batch.Labels).item<float>() * rows.Length;
            foreach (var task in model.Tasks)
            {
                tally[task.Name].Add(task, TaskLosses.Decide(task, logits[task.Name]), batch.Labels[task.Name]);
            }
        }

        return new ValidationMetrics(
            examples.Count == 0 ? 0 : lossSum / examples.Count,
            tally.ToDictionary(kv => kv.Key, kv => kv.Value.Accuracy, StringComparer.Ordinal),
            tally.ToDictionary(kv => kv.Key, kv => kv.Value.MacroF1, StringComparer.Ordinal));
    }
}
