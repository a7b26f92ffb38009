using System.Security.Cryptography;
using Pipeline.Training.Loading;
using Pipeline.Training.Models;

namespace Pipeline.Training.Vision;

/// <summary>
/// <c>model.base: resnet-cntk</c>: the ImageNet ResNet18 of <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c>
/// (a CNTK ONNX export, stages [2, 2, 2, 3]), imported once into a cached ResNet folder keyed by
/// the ONNX file's sha256 (config.json, model.safetensors, mean_image.safetensors).
/// </summary>
public static class PackagedResNet
{
    /// <summary>The <c>model.base</c> short name.</summary>
    public const string ShortName = "resnet-cntk";

    private const string Package = "Microsoft.ML.DnnImageFeaturizer.ResNet18";
    private const string PackageVersion = "0.23.1";
    private const string ModelsFolder = "DnnImageModels";

    /// <summary>Whether <paramref name="name"/> is <see cref="ShortName"/>.</summary>
    public static bool IsShortName(string name) => string.Equals(name, ShortName, StringComparison.OrdinalIgnoreCase);

    /// <summary>ResNet18.onnx: copied to the output by Pipeline.Training, else found in the NuGet package folder.</summary>
    public static string OnnxPath => Find(Path.Combine("ResNet18Onnx", "ResNet18.onnx"));

    /// <summary>ResNetPreprocess.onnx (RGB → BGR, minus the mean image), beside <see cref="OnnxPath"/>.</summary>
    public static string PreprocessPath => Find(Path.Combine("ResNetPrepOnnx", "ResNetPreprocess.onnx"));

    /// <summary>The cached folder of the imported network, importing it first when absent.</summary>
    /// <param name="cacheRoot">Defaults to <see cref="ModelCache.Root"/>.</param>
    /// <exception cref="ModelLoadException">The package's ONNX files are missing or not the expected graph.</exception>
    public static string EnsureImported(string? cacheRoot = null)
    {
        var onnxPath = OnnxPath;
        var onnx = File.ReadAllBytes(onnxPath);
        var sha = Convert.ToHexStringLower(SHA256.HashData(onnx));
        var folder = Path.Combine(cacheRoot ?? ModelCache.Root, $"{ShortName}-{sha[..16]}");
        return PackagedModels.ImportOnce(folder, IsComplete, staging =>
        {
            var (config, tensors, meanImage) = CntkResNetImporter.Import(onnx, File.ReadAllBytes(PreprocessPath));
            try
            {
                using var model = new ResNet(config);
                StateDictLoader.Copy(model, tensors, onnxPath, "The CNTK graph did not map onto a BasicBlock ResNet.", name => name.EndsWith(".num_batches_tracked", StringComparison.Ordinal));
                ResNetFolder.Save(model, staging);
                ResNetFolder.SaveMeanImage(meanImage, Path.Combine(staging, CntkResNetImporter.MeanImageFile));
            }
            finally
            {
                foreach (var tensor in tensors.Values)
                {
                    tensor.Dispose();
                }

                meanImage.Dispose();
            }

            File.WriteAllText(Path.Combine(staging, "source.txt"), $"{Package} {PackageVersion} ResNet18.onnx sha256 {sha}\n");
        });
    }

    private static bool IsComplete(string folder) =>
        File.Exists(Path.Combine(folder, ResNetConfig.FileName))
        && File.Exists(Path.Combine(folder, ResNetFolder.WeightsFile))
        && File.Exists(Path.Combine(folder, CntkResNetImporter.MeanImageFile));

    private static string Find(string relative)
    {
        var beside = Path.Combine(AppContext.BaseDirectory, ModelsFolder, relative);
        if (File.Exists(beside))
        {
            return beside;
        }

        var nugetRoot = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var inPackage = Path.Combine(nugetRoot, Package.ToLowerInvariant(), PackageVersion, "tools", ModelsFolder, relative);
        if (File.Exists(inPackage))
        {
            return inPackage;
        }

        throw new ModelLoadException($"'{relative}' of {Package} {PackageVersion} is neither beside the application ({beside}) nor in the NuGet cache ({inPackage}); restore src/Pipeline.Training (it downloads the package).");
    }
}
