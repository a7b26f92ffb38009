using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Training.Vision;

/// <summary>
/// torchvision's ResNet BasicBlock: two 3×3 convolutions with BatchNorm (<c>conv1</c>, <c>bn1</c>,
/// <c>conv2</c>, <c>bn2</c>) and an identity shortcut, or a strided 1×1 convolution and BatchNorm
/// (<c>downsample.0</c>, <c>downsample.1</c>) when the shape changes.
/// </summary>
public sealed class BasicBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d _conv1;
    private readonly BatchNorm2d _bn1;
    private readonly Conv2d _conv2;
    private readonly BatchNorm2d _bn2;
    private readonly Sequential? _downsample;

    public BasicBlock(long inChannels, long channels, long stride)
        : base(nameof(BasicBlock))
    {
        _conv1 = nn.Conv2d(inChannels, channels, 3, stride: stride, padding: 1, bias: false);
        _bn1 = nn.BatchNorm2d(channels);
        _conv2 = nn.Conv2d(channels, channels, 3, stride: 1, padding: 1, bias: false);
        _bn2 = nn.BatchNorm2d(channels);
        register_module("conv1", _conv1);
        register_module("bn1", _bn1);
        register_module("conv2", _conv2);
        register_module("bn2", _bn2);
        if (stride != 1 || inChannels != channels)
        {
            _downsample = nn.Sequential(nn.Conv2d(inChannels, channels, 1, stride: stride, bias: false), nn.BatchNorm2d(channels));
            register_module("downsample", _downsample);
        }
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.relu(_bn1.forward(_conv1.forward(input)));
        x = _bn2.forward(_conv2.forward(x));
        var shortcut = _downsample is null ? input : _downsample.forward(input);
        return nn.functional.relu(x.add_(shortcut)).MoveToOuterDisposeScope();
    }

    protected override void RegisterComponents()
    {
        // Components are registered by name in the constructor.
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _conv1.Dispose();
            _bn1.Dispose();
            _conv2.Dispose();
            _bn2.Dispose();
            _downsample?.Dispose();
        }

        base.Dispose(disposing);
    }
}
