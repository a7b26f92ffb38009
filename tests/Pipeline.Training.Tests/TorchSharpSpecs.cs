using Pipeline.Training.Devices;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Training.Tests;

/// <summary>
/// TorchSharp must load and train on this host with no manual step: on Debian 12 that
/// needs the build's GLIBCXX_3.4.32 patch (build/msbuild/ElfVersionPatch.cs).
/// </summary>
[Collection("Sequential")]
public sealed class TorchSharpSpecs
{
    [Fact]
    public void I_can_run_a_forward_and_backward_pass_and_an_AdamW_step_on_the_CPU()
    {
        // Arrange
        using var scope = NewDisposeScope();
        random.manual_seed(7);
        var device = TorchDevices.Resolve(DeviceRequest.Cpu);
        using var model = nn.Sequential(
            ("fc1", nn.Linear(8, 16)),
            ("act", nn.GELU()),
            ("fc2", nn.Linear(16, 3)));
        model.to(device);
        var x = randn(32, 8, device: device);
        var y = randint(0, 3, 32, device: device);
        using var optimizer = optim.AdamW(model.parameters(), lr: 1e-2, weight_decay: 0.01);
        var before = model.parameters().Select(p => p.detach().clone()).ToList();

        // Act
        var logits = model.forward(x);
        var loss = nn.functional.cross_entropy(logits, y);
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
        var lossAfter = nn.functional.cross_entropy(model.forward(x), y);

        // Assert
        Assert.Equal(new long[] { 32, 3 }, logits.shape);
        Assert.True(float.IsFinite(loss.item<float>()));
        Assert.All(model.parameters(), p => Assert.NotNull(p.grad));
        Assert.All(model.parameters(), p => Assert.True(p.grad!.abs().sum().item<float>() > 0));
        var after = model.parameters().ToList();
        for (var i = 0; i < before.Count; i++)
        {
            Assert.False(before[i].allclose(after[i]), $"parameter {i} did not change after the AdamW step");
        }

        Assert.True(lossAfter.item<float>() < loss.item<float>(), "one AdamW step on the same batch should lower the loss");
    }

    [Fact]
    public void Auto_picks_the_CPU_when_no_GPU_is_visible()
    {
        // Arrange + Act
        var device = TorchDevices.Resolve(DeviceRequest.Auto);

        // Assert
        Assert.Equal(cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU, device.type);
    }

    [Fact]
    public void Asking_for_CUDA_without_a_GPU_says_what_to_do()
    {
        if (cuda.is_available())
        {
            return; // a GPU runner: nothing to check here
        }

        var error = Assert.Throws<InvalidOperationException>(() => TorchDevices.Resolve(DeviceRequest.Cuda));
        Assert.Contains("TorchBackend=cuda", error.Message, StringComparison.Ordinal);
    }
}
