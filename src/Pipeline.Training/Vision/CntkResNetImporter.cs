using Onnx;
using Pipeline.Training.Loading;
using Pipeline.Training.Models;
using static TorchSharp.torch;

namespace Pipeline.Training.Vision;

/// <summary>
/// Reads the CNTK ResNet ONNX export of <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c> into
/// torchvision-named tensors. Its initializers are anonymous (<c>Parameter91</c>), so the
/// weights are named by walking the graph: the first convolution is <c>conv1</c>, the 3×3
/// convolutions in graph order are the blocks' <c>conv1</c>/<c>conv2</c>, a 1×1 convolution is
/// the <c>downsample.0</c> of the block that follows it, and each BatchNormalization takes the
/// name of the convolution whose output it reads. The stage layout is read from the widths
/// (this export has [2, 2, 2, 3], not torchvision's [2, 2, 2, 2]). Its asymmetric pads
/// (begin 3 / end 2 on the stem) sample the same positions as PyTorch's symmetric ones for even
/// input sizes such as 224, so the torchvision module computes the same features.
/// </summary>
public static class CntkResNetImporter
{
    /// <summary>The mean image file written beside config.json.</summary>
    public const string MeanImageFile = "mean_image.safetensors";

    /// <summary>The tensor name inside <see cref="MeanImageFile"/>.</summary>
    public const string MeanImageTensor = "mean_image";

    /// <summary>
    /// Imports <paramref name="resnetOnnx"/> (ResNet18.onnx) with the normalisation of
    /// <paramref name="preprocessOnnx"/> (ResNetPreprocess.onnx: RGB → BGR, minus a mean image).
    /// </summary>
    /// <returns>The config, CPU float32 tensors by torchvision name and the mean image [3, H, W] (BGR, 0–255); the caller disposes the tensors.</returns>
    /// <exception cref="ModelLoadException">The graphs are not the CNTK ResNet export this importer understands.</exception>
    public static (ResNetConfig Config, Dictionary<string, Tensor> Tensors, Tensor MeanImage) Import(byte[] resnetOnnx, byte[] preprocessOnnx)
    {
        ArgumentNullException.ThrowIfNull(resnetOnnx);
        ArgumentNullException.ThrowIfNull(preprocessOnnx);
        var graph = ModelProto.Parser.ParseFrom(resnetOnnx).Graph;
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var convs = graph.Node.Where(n => n.OpType == "Conv").ToList();
        if (convs.Count == 0 || KernelOf(convs[0]) != 7)
        {
            throw new ModelLoadException("The ONNX graph does not start with a 7×7 convolution; it is not the CNTK ResNet export (ResNet18.onnx) this importer understands.");
        }

        var threeByThree = convs.Where(c => KernelOf(c) == 3).ToList();
        var widths = threeByThree.Select(c => Weight(c).Dims[0]).Distinct().ToList();
        if (widths.Count != 4 || threeByThree.Count % 2 != 0)
        {
            throw new ModelLoadException($"The ONNX graph has {threeByThree.Count} 3×3 convolutions over {widths.Count} widths; a BasicBlock ResNet has 4 stages of pairs.");
        }

        var layers = widths.Select(w => threeByThree.Count(c => Weight(c).Dims[0] == w) / 2).ToArray();
        var baseWidth = (int)Weight(convs[0]).Dims[0];
        var names = new Dictionary<string, string>(StringComparer.Ordinal) { [convs[0].Output[0]] = "conv1" };
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        Tensor? meanImage = null;
        try
        {
            tensors["conv1.weight"] = OnnxBertImporter.ToTensor(Weight(convs[0]));
            var next = 0;
            string? pendingDownsample = null;
            foreach (var conv in convs.Skip(1))
            {
                var kernel = KernelOf(conv);
                if (kernel == 1)
                {
                    pendingDownsample = conv.Output[0];
                    continue;
                }

                if (kernel != 3)
                {
                    throw new ModelLoadException($"Unexpected {kernel}×{kernel} convolution '{conv.Output[0]}' in the ONNX graph.");
                }

                var (stage, block, second) = Locate(layers, next++);
                var prefix = $"layer{stage + 1}.{block}";
                var name = $"{prefix}.conv{(second ? 2 : 1)}";
                names[conv.Output[0]] = name;
                tensors[$"{name}.weight"] = OnnxBertImporter.ToTensor(Weight(conv));
                if (pendingDownsample is not null)
                {
                    var down = convs.First(c => c.Output[0] == pendingDownsample);
                    names[pendingDownsample] = $"{prefix}.downsample.0";
                    tensors[$"{prefix}.downsample.0.weight"] = OnnxBertImporter.ToTensor(Weight(down));
                    pendingDownsample = null;
                }
            }

            foreach (var norm in graph.Node.Where(n => n.OpType == "BatchNormalization"))
            {
                if (!names.TryGetValue(norm.Input[0], out var convName))
                {
                    throw new ModelLoadException($"BatchNormalization '{norm.Output[0]}' does not read a convolution's output; the graph is not the CNTK ResNet export.");
                }

                var bn = convName.EndsWith(".downsample.0", StringComparison.Ordinal)
                    ? convName[..^1] + "1"
                    : convName.Replace("conv", "bn", StringComparison.Ordinal);
                string[] parts = ["weight", "bias", "running_mean", "running_var"];
                for (var i = 0; i < parts.Length; i++)
                {
                    tensors[$"{bn}.{parts[i]}"] = OnnxBertImporter.ToTensor(initializers[norm.Input[i + 1]]);
                }
            }

            meanImage = ReadMeanImage(preprocessOnnx);
            var perChannel = meanImage.mean([1, 2]).data<float>().ToArray();
            var config = new ResNetConfig
            {
                Layers = layers,
                BaseWidth = baseWidth,
                NumFeatures = baseWidth * 8,
                Preprocessing = new ImagePreprocessing
                {
                    ChannelOrder = "bgr",
                    Scale = 1,
                    Mean = perChannel,
                    MeanImageFile = MeanImageFile,
                    Std = [1f, 1f, 1f],
                },
            };
            return (config, tensors, meanImage);
        }
        catch
        {
            foreach (var tensor in tensors.Values)
            {
                tensor.Dispose();
            }

            meanImage?.Dispose();
            throw;
        }

        TensorProto Weight(NodeProto conv) =>
            conv.Input.Count >= 2 && initializers.TryGetValue(conv.Input[1], out var w)
                ? w
                : throw new ModelLoadException($"Convolution '{conv.Output[0]}' has no weight initializer.");
    }

    /// <summary>The mean image [3, H, W] (BGR) that ResNetPreprocess.onnx subtracts.</summary>
    private static Tensor ReadMeanImage(byte[] preprocessOnnx)
    {
        var graph = ModelProto.Parser.ParseFrom(preprocessOnnx).Graph;
        var split = graph.Node.FirstOrDefault(n => n.OpType == "Split");
        var concat = graph.Node.FirstOrDefault(n => n.OpType == "Concat");
        var sub = graph.Node.FirstOrDefault(n => n.OpType == "Sub");
        if (split is null || concat is null || sub is null || split.Output.Count != 3
            || !concat.Input.SequenceEqual([split.Output[2], split.Output[1], split.Output[0]]))
        {
            throw new ModelLoadException("ResNetPreprocess.onnx is not Split(RGB) → Concat(BGR) → Sub(mean image); the preprocessing cannot be read.");
        }

        var mean = graph.Initializer.FirstOrDefault(t => t.Name == sub.Input[1])
            ?? throw new ModelLoadException($"ResNetPreprocess.onnx has no initializer '{sub.Input[1]}' for the mean image.");
        using var image = OnnxBertImporter.ToTensor(mean);
        return image.reshape(image.shape[^3..]).clone();
    }

    private static long KernelOf(NodeProto conv) =>
        conv.Attribute.FirstOrDefault(a => a.Name == "kernel_shape")?.Ints[0] ?? -1;

    private static (int Stage, int Block, bool Second) Locate(int[] layers, int index)
    {
        var block = index / 2;
        for (var stage = 0; stage < layers.Length; stage++)
        {
            if (block < layers[stage])
            {
                return (stage, block, index % 2 == 1);
            }

            block -= layers[stage];
        }

        throw new ModelLoadException("The ONNX graph has more 3×3 convolutions than its stages hold.");
    }
}
