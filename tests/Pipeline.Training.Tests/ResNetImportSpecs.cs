using Microsoft.ML.OnnxRuntime;
using Pipeline.Training.Loading;
using Pipeline.Training.Models;
using Pipeline.Training.Vision;
using TorchSharp.PyBridge;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Pipeline.Training.Tests;

[Collection("Sequential")]
public sealed class ResNetImportSpecs(ITestOutputHelper output) : IDisposable
{
    private readonly string _cache = TinyBert.TempFolder();

    [Fact]
    public void The_imported_CNTK_ResNet_matches_ONNX_Runtime_on_the_same_images()
    {
        // Arrange
        using var scope = NewDisposeScope();
        const int Side = 224;
        var random = new Random(7);
        var images = Enumerable.Range(0, 2).Select(_ =>
        {
            var pixels = new byte[Side * Side * 3];
            random.NextBytes(pixels);
            return pixels;
        }).ToList();
        var rgb = ImageNormalization.ToTensor(images, Side, Side);
        using var preprocess = new InferenceSession(PackagedResNet.PreprocessPath);
        using var network = new InferenceSession(PackagedResNet.OnnxPath);
        var ortInputs = new List<float[]>();
        var ortFeatures = new List<float[]>();
        for (var i = 0; i < images.Count; i++)
        {
            var original = rgb[i..(i + 1)].contiguous().data<float>().ToArray();
            ortInputs.Add(RunOnnx(preprocess, "OriginalInput", original, "PreprocessedInput"));
            ortFeatures.Add(RunOnnx(network, "Input247", ortInputs[i], "Pooling395_Output_0"));
        }

        // Act
        var folder = ModelResolver.Resolve("resnet-cntk", _cache);
        var config = ResNetConfig.Load(Path.Combine(folder, ResNetConfig.FileName));
        using var normalization = ImageNormalization.FromFolder(folder, config);
        using var model = ResNetFolder.Load(folder);
        model.eval();
        using var noGrad = no_grad();
        var normalised = normalization.Normalize(images, Side, Side);
        var features = model.forward(normalised);

        // Assert
        Assert.Equal([2, 2, 2, 3], config.Layers);
        Assert.Equal(512, config.NumFeatures);
        Assert.True(config.Preprocessing.IsBgr);
        var inputDiff = (normalised - tensor(ortInputs.SelectMany(x => x).ToArray(), normalised.shape)).abs().max().item<float>();
        var featureDiff = (features - tensor(ortFeatures.SelectMany(x => x).ToArray(), features.shape)).abs().max().item<float>();
        var featureScale = features.abs().max().item<float>();
        output.WriteLine($"resnet-cntk: max |input diff| = {inputDiff:E2}, max |feature diff| = {featureDiff:E2} (features up to {featureScale:F2})");
        Assert.True(inputDiff < 1e-4, $"max |ImageNormalization - ResNetPreprocess.onnx| is {inputDiff}");
        Assert.True(featureDiff < 1e-4, $"max |TorchSharp - ONNX Runtime| over the pooled features is {featureDiff}");
        Assert.Matches("resnet-cntk-[0-9a-f]{16}$", folder);
        Assert.Equal(folder, ModelResolver.Resolve("resnet-cntk", _cache));
    }

    [Fact]
    public void I_can_load_torchvision_ResNet_weights_from_a_safetensors_folder_and_its_fc_is_skipped()
    {
        // Arrange
        using var scope = NewDisposeScope();
        var config = TinyResNet.Config();
        using var source = new ResNet(config);
        source.eval();
        var folder = Path.Combine(_cache, "user-resnet");
        Directory.CreateDirectory(folder);
        var state = source.state_dict()
            .Where(kv => !kv.Key.EndsWith(".num_batches_tracked", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        state["fc.weight"] = randn(1000, config.NumFeatures);
        state["fc.bias"] = zeros(1000);
        Safetensors.SaveStateDict(Path.Combine(folder, ResNetFolder.WeightsFile), state);
        config.Save(Path.Combine(folder, ResNetConfig.FileName));
        var input = randn(2, 3, 32, 32);

        // Act
        using var loaded = ResNetFolder.Load(folder);
        loaded.eval();
        using var noGrad = no_grad();

        // Assert
        Assert.True(loaded.forward(input).allclose(source.forward(input)));
        Assert.Equal(config.Layers, loaded.Config.Layers);
        Assert.True(ResNetFolder.IsResNetFolder(folder));
        var textFolder = Path.Combine(_cache, "text");
        Directory.CreateDirectory(textFolder);
        File.WriteAllText(Path.Combine(textFolder, ResNetConfig.FileName), "{\"hidden_size\": 8, \"num_hidden_layers\": 1}");
        Assert.False(ResNetFolder.IsResNetFolder(textFolder));
    }

    [Fact]
    public void Loading_ResNet_weights_that_do_not_match_the_config_lists_every_missing_unexpected_and_mis_shaped_tensor()
    {
        // Arrange
        using var scope = NewDisposeScope();
        var config = TinyResNet.Config();
        using var source = new ResNet(config);
        var folder = Path.Combine(_cache, "broken-resnet");
        Directory.CreateDirectory(folder);
        var state = source.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        state.Remove("layer2.0.conv1.weight");
        state["layer5.0.conv1.weight"] = zeros(1);
        state["bn1.weight"] = zeros(3);
        Safetensors.SaveStateDict(Path.Combine(folder, ResNetFolder.WeightsFile), state);
        config.Save(Path.Combine(folder, ResNetConfig.FileName));

        // Act
        var error = Assert.Throws<ModelLoadException>(() => ResNetFolder.Load(folder));

        // Assert
        Assert.Contains("1 missing, 1 unexpected and 1 mis-shaped", error.Message, StringComparison.Ordinal);
        Assert.Contains("layer2.0.conv1.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("layer5.0.conv1.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("bn1.weight: checkpoint [3], model [4]", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"layers\"", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_cache, recursive: true);

    private static float[] RunOnnx(InferenceSession session, string inputName, float[] input, string outputName)
    {
        using var runOptions = new RunOptions();
        using var value = OrtValue.CreateTensorValueFromMemory(input, [1, 3, 224, 224]);
        using var outputs = session.Run(runOptions, [inputName], [value], [outputName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
