using Pipeline.Errors;

namespace Pipeline.Training.Training;

/// <summary>The loss or the weights became NaN or infinite; the message lists likely causes.</summary>
public sealed class TrainingDivergedException : PipelineException
{
    public TrainingDivergedException()
    {
    }

    public TrainingDivergedException(string message)
        : base(message)
    {
    }

    public TrainingDivergedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal static TrainingDivergedException At(string what, long step, int epoch) => new(
        $"{what} became NaN or infinite at optimizer step {step} (epoch {epoch + 1}). Likely causes: a learning rate too high " +
        "for this technique (try 10x lower, e.g. 2e-5 for full fine-tuning, 2e-4 for LoRA), no warm-up (set train.warmup_ratio to 0.1), " +
        "gradient clipping off (set train.max_grad_norm to 1.0), bf16 overflow on CUDA, or corrupt input (empty rows, token ids outside the vocabulary).");
}
