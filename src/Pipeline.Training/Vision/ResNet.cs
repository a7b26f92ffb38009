using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Training.Vision;

/// <summary>
/// A BasicBlock ResNet backbone with torchvision's parameter names (<c>conv1</c>, <c>bn1</c>,
/// <c>layer1</c>…<c>layer4</c>.<i>N</i>.*), without <c>fc</c>: <see cref="forward"/> returns the
/// globally average-pooled features [batch, <see cref="ResNetConfig.NumFeatures"/>].
/// </summary>
public sealed class ResNet : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d _conv1;
    private readonly BatchNorm2d _bn1;
    private readonly MaxPool2d _maxPool;
    private readonly Sequential[] _layers;

    /// <param name="config">Stages, widths and preprocessing; validated here.</param>
    public ResNet(ResNetConfig config)
        : base(nameof(ResNet))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate("ResNet config");
        Config = config;
        var width = config.BaseWidth;
        _conv1 = nn.Conv2d(3, width, 7, stride: 2, padding: 3, bias: false);
        _bn1 = nn.BatchNorm2d(width);
        _maxPool = nn.MaxPool2d(3, stride: 2, padding: 1);
        register_module("conv1", _conv1);
        register_module("bn1", _bn1);
        _layers = new Sequential[4];
        long inChannels = width;
        for (var stage = 0; stage < 4; stage++)
        {
            long channels = width << stage;
            var blocks = new List<nn.Module<Tensor, Tensor>>();
            for (var b = 0; b < config.Layers[stage]; b++)
            {
                blocks.Add(new BasicBlock(inChannels, channels, b == 0 && stage > 0 ? 2 : 1));
                inChannels = channels;
            }

            _layers[stage] = nn.Sequential(blocks);
            register_module($"layer{stage + 1}", _layers[stage]);
        }
    }

    /// <summary>The architecture and preprocessing this network was built from.</summary>
    public ResNetConfig Config { get; }

    /// <summary>The four residual stages <c>layer1</c>…<c>layer4</c>: what partial unfreezing counts from the end.</summary>
    public IReadOnlyList<Sequential> Layers => _layers;

    /// <summary>[batch, 3, H, W] normalised images → [batch, features].</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = _maxPool.forward(nn.functional.relu(_bn1.forward(_conv1.forward(input))));
        foreach (var layer in _layers)
        {
            x = layer.forward(x);
        }

        return x.mean([2, 3]).MoveToOuterDisposeScope();
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
            _maxPool.Dispose();
            foreach (var layer in _layers)
            {
                layer.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
