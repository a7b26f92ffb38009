using Pipeline.Training.Models;
using Pipeline.Training.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Training.Heads;

/// <summary>
/// A shared BERT encoder (<c>bert.*</c>) with one classification head per task (<c>heads.&lt;task&gt;.*</c>).
/// One single-label task is plain sequence classification; several tasks make a multitask model.
/// </summary>
public sealed class TextClassifier : nn.Module<Tensor, Tensor, Tensor?, IReadOnlyDictionary<string, Tensor>>, ITrainableClassifier, IProbeableClassifier
{
    private readonly ModuleDict<ClassificationHead> _heads;

    /// <param name="encoder">The encoder; owned (disposed) by this classifier from now on.</param>
    /// <param name="tasks">One or more tasks with distinct names.</param>
    /// <param name="pooling">How the sentence vector is taken. Default mean.</param>
    /// <param name="headDropout">Dropout before each head. Default 0.1; within [0, 1).</param>
    public TextClassifier(BertModel encoder, IReadOnlyList<TaskHeadSpec> tasks, PoolingMode pooling = PoolingMode.Mean, double headDropout = 0.1)
        : base(nameof(TextClassifier))
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(tasks);
        if (tasks.Count == 0)
        {
            throw new ArgumentException("A classifier needs at least one task.", nameof(tasks));
        }

        var duplicate = tasks.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Task '{duplicate.Key}' is declared twice.", nameof(tasks));
        }

        if (headDropout is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(headDropout), headDropout, "Head dropout must be within [0, 1).");
        }

        Encoder = encoder;
        Tasks = tasks;
        Pooling = pooling;
        _heads = new ModuleDict<ClassificationHead>();
        foreach (var task in tasks)
        {
            _heads.Add((task.Name, new ClassificationHead(encoder.Config.HiddenSize, task.NumLabels, headDropout)));
        }

        register_module("bert", encoder);
        register_module("heads", _heads);
    }

    /// <summary>The shared encoder.</summary>
    public BertModel Encoder { get; }

    /// <summary>The tasks, in declaration order.</summary>
    public IReadOnlyList<TaskHeadSpec> Tasks { get; }

    /// <summary>How sentence vectors are pooled.</summary>
    public PoolingMode Pooling { get; }

    /// <summary>The head of <paramref name="task"/>.</summary>
    public ClassificationHead Head(string task) => _heads[task];

    /// <summary>The heads' parameters (for a separate head learning rate or head-only training).</summary>
    public IEnumerable<Parameter> HeadParameters() => _heads.parameters();

    /// <summary>Logits per task name, each [batch, labels].</summary>
    public override IReadOnlyDictionary<string, Tensor> forward(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds)
    {
        using var scope = NewDisposeScope();
        var features = Features(inputIds, attentionMask, tokenTypeIds);
        var logits = ForwardHeads(features);
        foreach (var value in logits.Values)
        {
            value.MoveToOuterDisposeScope();
        }

        return logits;
    }

    /// <summary>Logits per task for a collated text batch (input ids, attention mask).</summary>
    public IReadOnlyDictionary<string, Tensor> ForwardBatch(TrainingBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return forward(batch.Inputs[0], batch.Inputs[1], null);
    }

    /// <summary>Pooled sentence vectors [batch, hidden]: what a frozen-backbone probe caches.</summary>
    public Tensor Features(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds = null)
    {
        using var scope = NewDisposeScope();
        var hidden = Encoder.forward(inputIds, attentionMask, tokenTypeIds);
        return Models.Pooling.Pool(hidden, attentionMask, Pooling).MoveToOuterDisposeScope();
    }

    /// <summary>Logits per task from pooled features.</summary>
    public Dictionary<string, Tensor> ForwardHeads(Tensor features)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var task in Tasks)
        {
            result[task.Name] = _heads[task.Name].forward(features);
        }

        return result;
    }

    protected override void RegisterComponents()
    {
        // Components are registered by name in the constructor.
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _heads.Dispose();
            Encoder.Dispose();
        }

        base.Dispose(disposing);
    }
}
