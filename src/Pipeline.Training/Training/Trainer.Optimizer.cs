using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Training.Training;

public sealed partial class Trainer
{
    /// <summary>
    /// AdamW with four groups: encoder and head, each split into decayed weights and
    /// undecayed biases and LayerNorm parameters. <paramref name="baseRates"/> holds each group's peak rate.
    /// </summary>
    private AdamW BuildOptimizer<TModel>(TModel model, out double[] baseRates)
        where TModel : nn.Module, ITrainableClassifier
    {
        var head = model.HeadParameters().ToHashSet(ReferenceEqualityComparer.Instance);
        var groups = new List<(List<Parameter> Params, double Rate, double Decay)>
        {
            ([], _options.LearningRate, _options.WeightDecay),
            ([], _options.LearningRate, 0),
            ([], _options.HeadLearningRate, _options.WeightDecay),
            ([], _options.HeadLearningRate, 0),
        };
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (!parameter.requires_grad)
            {
                continue;
            }

            // Biases and normalisation weights (LayerNorm, BatchNorm: the 1-D parameters) are not decayed.
            var noDecay = name.EndsWith(".bias", StringComparison.Ordinal) || name.Contains("LayerNorm", StringComparison.Ordinal) || parameter.dim() == 1;
            var index = (head.Contains(parameter) ? 2 : 0) + (noDecay ? 1 : 0);
            groups[index].Params.Add(parameter);
        }

        var used = groups.Where(g => g.Params.Count > 0).ToList();
        if (used.Count == 0)
        {
            throw new InvalidOperationException("No parameter requires gradients: nothing to train. Unfreeze the head or apply LoRA first.");
        }

        baseRates = used.Select(g => g.Rate).ToArray();
        var paramGroups = used.Select(g => new AdamW.ParamGroup(g.Params, lr: g.Rate, weight_decay: g.Decay)).ToArray();
        return optim.AdamW(paramGroups, lr: _options.LearningRate);
    }

    private double StepOptimizer(nn.Module model, AdamW optimizer, double[] baseRates, long step, long totalSteps, long warmupSteps, int epoch, ThroughputCounters counters)
    {
        counters.Start();
        var factor = LearningRateSchedule.Factor(_options.Schedule, step, totalSteps, warmupSteps);
        var index = 0;
        foreach (var group in optimizer.ParamGroups)
        {
            group.LearningRate = baseRates[index++] * factor;
        }

        var trainable = model.parameters().Where(p => p.requires_grad).ToList();
        if (_options.MaxGradNorm > 0)
        {
            var norm = nn.utils.clip_grad_norm_(trainable, _options.MaxGradNorm);
            if (!double.IsFinite(norm))
            {
                throw TrainingDivergedException.At("The gradient norm", step + 1, epoch);
            }
        }

        optimizer.step();
        optimizer.zero_grad();
        counters.Stop(0, 0, 0);
        counters.Steps++;
        return baseRates[0] * factor;
    }

    private static void CheckFinite(nn.Module model, TrainerState state)
    {
        using var scope = NewDisposeScope();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (!parameter.isfinite().all().item<bool>())
            {
                throw TrainingDivergedException.At($"Weight '{name}'", state.Step, state.Epoch - 1);
            }
        }
    }
}
