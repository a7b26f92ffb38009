using TorchSharp;

namespace Pipeline.Training.Devices;

/// <summary>Which device a run asks for in <c>pipeline.yaml</c> (<c>train.device</c>).</summary>
public enum DeviceRequest
{
    /// <summary>CUDA when TorchSharp sees a GPU, otherwise the CPU.</summary>
    Auto,

    /// <summary>Always the CPU.</summary>
    Cpu,

    /// <summary>A CUDA GPU; fails when none is available.</summary>
    Cuda,
}

/// <summary>Picks the TorchSharp device once per run and sets the CPU thread count.</summary>
public static class TorchDevices
{
    /// <summary>
    /// Resolves <paramref name="request"/> to a device. <paramref name="threads"/> sets
    /// libtorch's intra-op thread count; 0 keeps the default (all cores).
    /// </summary>
    /// <exception cref="InvalidOperationException">CUDA was asked for and TorchSharp sees no GPU.</exception>
    public static torch.Device Resolve(DeviceRequest request, int threads = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        if (threads > 0)
        {
            torch.set_num_threads(threads);
        }

        return request switch
        {
            DeviceRequest.Cpu => torch.CPU,
            DeviceRequest.Cuda when torch.cuda.is_available() => torch.CUDA,
            DeviceRequest.Cuda => throw new InvalidOperationException(
                "train.device is 'cuda' but TorchSharp sees no CUDA device. Build with -p:TorchBackend=cuda on a GPU runner, " +
                "check the NVIDIA driver with nvidia-smi, or set train.device to 'auto' or 'cpu'."),
            _ => torch.cuda.is_available() ? torch.CUDA : torch.CPU,
        };
    }
}
