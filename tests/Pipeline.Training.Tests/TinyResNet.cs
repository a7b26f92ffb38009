using Pipeline.Training.Vision;

namespace Pipeline.Training.Tests;

/// <summary>A ResNet small enough for quick tests: base width 4, one block per stage.</summary>
internal static class TinyResNet
{
    public static ResNetConfig Config(int[]? layers = null) => new()
    {
        Layers = layers ?? [1, 1, 1, 1],
        BaseWidth = 4,
        NumFeatures = 32,
    };
}
