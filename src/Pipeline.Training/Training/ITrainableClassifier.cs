using Pipeline.Training.Heads;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Training.Training;

/// <summary>
/// One collated batch for <see cref="Trainer"/>: the model's inputs (token ids and mask for text,
/// normalised images for vision), labels per task, and what it held for the throughput counters.
/// </summary>
/// <param name="Inputs">The model's input tensors, in the order its <see cref="ITrainableClassifier.ForwardBatch"/> reads them.</param>
/// <param name="Labels">Labels per task.</param>
/// <param name="RealTokens">Real (unpadded) tokens; for images, pixels are not counted (0).</param>
/// <param name="Slots">Token slots including padding (0 for images).</param>
public sealed record TrainingBatch(IReadOnlyList<Tensor> Inputs, Dictionary<string, TaskLabels> Labels, long RealTokens, long Slots);

/// <summary>A classifier the <see cref="Trainer"/> loop can train: tasks, heads and a forward pass on a collated batch.</summary>
public interface ITrainableClassifier
{
    /// <summary>The tasks, in declaration order.</summary>
    IReadOnlyList<TaskHeadSpec> Tasks { get; }

    /// <summary>The heads' parameters (their own learning rate, <c>train.head_learning_rate</c>).</summary>
    IEnumerable<Parameter> HeadParameters();

    /// <summary>Logits per task name, each [batch, labels].</summary>
    IReadOnlyDictionary<string, Tensor> ForwardBatch(TrainingBatch batch);
}

/// <summary>The rows a <see cref="Trainer"/> trains or validates on, and how a list of them becomes a batch.</summary>
public interface ITrainingRows
{
    /// <summary>Number of rows.</summary>
    int Count { get; }

    /// <summary>The length used for bucketing batches (tokens for text; constant for images).</summary>
    int Length(int row);

    /// <summary>The tasks <paramref name="row"/> carries a label for (multitask sampling).</summary>
    IReadOnlyCollection<string> Tasks(int row);

    /// <summary>Collates <paramref name="rows"/> on <paramref name="device"/>; <paramref name="training"/> asks for training-time augmentation.</summary>
    TrainingBatch Collate(int[] rows, IReadOnlyList<TaskHeadSpec> tasks, Device device, bool training);
}

/// <summary>Tokenized text rows: dynamic padding (or a fixed length) through <see cref="BatchCollator"/>.</summary>
internal sealed class TextRows(IReadOnlyList<TrainingExample> examples, long padId, int? padTo) : ITrainingRows
{
    public int Count => examples.Count;

    public int Length(int row) => examples[row].InputIds.Count;

    public IReadOnlyCollection<string> Tasks(int row) => examples[row].Labels.Keys.ToArray();

    public TrainingBatch Collate(int[] rows, IReadOnlyList<TaskHeadSpec> tasks, Device device, bool training)
    {
        var batch = BatchCollator.Collate(examples, rows, tasks, padId, device, padTo);
        return new([batch.InputIds, batch.AttentionMask], batch.Labels, batch.RealTokens, batch.InputIds.numel());
    }
}
