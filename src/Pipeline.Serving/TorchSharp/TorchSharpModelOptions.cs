using Pipeline.Training.Devices;

namespace Pipeline.Serving.TorchSharp;

/// <summary>How TorchSharp models are run. Immutable; the defaults suit a CPU pod.</summary>
public sealed record TorchSharpModelOptions
{
    /// <summary>Where the model runs: <see cref="DeviceRequest.Auto"/> (default) picks CUDA when TorchSharp sees a GPU, else the CPU.</summary>
    public DeviceRequest Device { get; init; } = DeviceRequest.Auto;

    /// <summary>Tokens per input, [CLS] and [SEP] included, when <c>model.json</c> does not say. Default 128; range [8, 512].</summary>
    public int MaxSequenceLength { get; init; } = 128;

    /// <summary>Lowercase inputs (uncased vocabularies such as MiniLM's) when <c>model.json</c> does not say. Default true.</summary>
    public bool Lowercase { get; init; } = true;

    /// <summary>Throws <see cref="ServingException"/> naming the first value out of range.</summary>
    public void Validate()
    {
        if (MaxSequenceLength is < 8 or > 512)
        {
            throw new ServingException($"TorchSharpModelOptions.MaxSequenceLength must be in [8, 512], got {MaxSequenceLength}.");
        }

        if (!Enum.IsDefined(Device))
        {
            throw new ServingException($"TorchSharpModelOptions.Device must be Auto, Cpu or Cuda, got {Device}.");
        }
    }
}
