using Pipeline.Training.Vision;

namespace Pipeline.Training.Tests;

/// <summary>Small synthetic image sets: class 0 is reddish, class 1 bluish, with noise.</summary>
internal static class TinyImages
{
    public static List<ImageExample> TwoColours(int count, int side, int seed)
    {
        var random = new Random(seed);
        var examples = new List<ImageExample>();
        for (var i = 0; i < count; i++)
        {
            var label = i % 2;
            var pixels = new byte[side * side * 3];
            for (var p = 0; p < side * side; p++)
            {
                var strong = (byte)random.Next(150, 256);
                var weak = (byte)random.Next(0, 100);
                pixels[(p * 3) + 0] = label == 0 ? strong : weak;
                pixels[(p * 3) + 1] = (byte)random.Next(0, 256);
                pixels[(p * 3) + 2] = label == 0 ? weak : strong;
            }

            examples.Add(new ImageExample(pixels, side, side, new Dictionary<string, int[]> { ["label"] = [label] }));
        }

        return examples;
    }

    /// <summary>A tiny random-weight ResNet saved as a torchvision-style folder (config.json + model.safetensors).</summary>
    public static string BaseFolder(string root)
    {
        var folder = Path.Combine(root, "tiny-resnet");
        TorchSharp.torch.random.manual_seed(3);
        using var model = new ResNet(TinyResNet.Config());

        // Like a pretrained network, its BatchNorm statistics describe its inputs: a few passes in training mode set them.
        model.train();
        using (TorchSharp.torch.no_grad())
        {
            using var normalization = new ImageNormalization(ImagePreprocessing.TorchVision);
            var images = TwoColours(16, 16, seed: 9);
            for (var i = 0; i < 5; i++)
            {
                using var scope = TorchSharp.torch.NewDisposeScope();
                model.forward(normalization.Normalize(images.Select(e => e.Pixels).ToList(), 16, 16));
            }
        }

        ResNetFolder.Save(model, folder);
        return folder;
    }
}
