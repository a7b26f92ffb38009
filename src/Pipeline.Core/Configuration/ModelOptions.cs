namespace Pipeline.Configuration;

/// <summary>The <c>model</c> section: what is fine-tuned and for which task.</summary>
public sealed record ModelOptions
{
    /// <summary>
    /// The base model: a folder (config.json, model.safetensors, vocab.txt) or a known name
    /// (<c>minilm</c>, <c>arctic-xs</c>, <c>resnet-cntk</c>). Default <c>minilm</c>.
    /// </summary>
    [ConfigDescription("The base model: a folder (config.json, model.safetensors, vocab.txt) or a known name (minilm, arctic-xs, resnet-cntk). Default minilm.")]
    public string Base { get; init; } = "minilm";

    /// <summary>The task shape. Default <c>single_label</c>.</summary>
    [ConfigDescription("The task shape: single_label, multi_label or multitask (one head per task). Default single_label.")]
    public ModelTask Task { get; init; } = ModelTask.SingleLabel;

    /// <summary>How token vectors become one sentence vector. Default <c>mean</c>.</summary>
    [ConfigDescription("How token vectors become one sentence vector: mean or cls. Default mean.")]
    public PoolingStrategy Pooling { get; init; } = PoolingStrategy.Mean;
}

/// <summary>The shape of the classification task.</summary>
public enum ModelTask
{
    /// <summary>Exactly one label per row (softmax).</summary>
    SingleLabel,

    /// <summary>Any number of labels per row (sigmoid per label).</summary>
    MultiLabel,

    /// <summary>Several label fields, one head per task on a shared encoder.</summary>
    Multitask,
}

/// <summary>How an encoder's token vectors are pooled into one vector.</summary>
public enum PoolingStrategy
{
    /// <summary>Mean of the token vectors, padding excluded.</summary>
    Mean,

    /// <summary>The vector of the first ([CLS]) token.</summary>
    Cls,
}
