using Pipeline.Training.Heads;
using Pipeline.Training.Lora;

namespace Pipeline.Training.Training;

/// <summary>Which weights train (<c>train.technique</c>).</summary>
public enum TrainingTechnique
{
    /// <summary>Frozen encoder; only the heads train (a linear probe, see <see cref="LinearProbe"/>).</summary>
    Head,

    /// <summary>Every weight trains.</summary>
    Full,

    /// <summary>Frozen encoder with LoRA adapters; adapters and heads train.</summary>
    Lora,
}

/// <summary>Sets which parameters of a classifier require gradients for a technique.</summary>
public static class Techniques
{
    /// <summary>
    /// Prepares <paramref name="model"/> for <paramref name="technique"/>: unfreezes everything
    /// (full), freezes the encoder (head), or freezes it and adds adapters from
    /// <paramref name="lora"/> (LoRA). Heads always train. Returns the trainable parameter count.
    /// </summary>
    public static long Prepare(TextClassifier model, TrainingTechnique technique, LoraOptions? lora = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        foreach (var parameter in model.parameters())
        {
            parameter.requires_grad = technique == TrainingTechnique.Full;
        }

        foreach (var parameter in model.HeadParameters())
        {
            parameter.requires_grad = true;
        }

        if (technique == TrainingTechnique.Lora)
        {
            LoraAdapters.Apply(model.Encoder, lora ?? new LoraOptions());
        }

        return model.parameters().Where(p => p.requires_grad).Sum(p => p.numel());
    }
}
