using System.Text;
using Microsoft.Extensions.FileSystemGlobbing;

namespace Pipeline.Stages.Incremental;

/// <summary>
/// A stage's input fingerprint: one xxHash128 over every input's own hash, in key order, plus
/// the per-input hashes that <c>pipeline.lock</c> records so a reviewer sees what changed.
/// Input keys: <c>file:data/a.jsonl</c>, <c>artifact:clean/rows.jsonl</c>, <c>config:train</c>,
/// <c>value:code</c>; a glob that matches nothing is kept as <c>glob:PATTERN</c> = <c>empty</c>,
/// a named file that does not exist as its key = <c>missing</c>.
/// </summary>
public sealed record StageFingerprint(string Value, IReadOnlyDictionary<string, string> Inputs)
{
    /// <summary>The hash recorded for a file or folder that does not exist.</summary>
    public const string Missing = "missing";

    /// <summary>The first four hex digits and an ellipsis, for log lines.</summary>
    public string Abbreviated => Value.Length > 4 ? Value[..4] + "…" : Value;

    /// <summary>Computes the fingerprint of <paramref name="inputs"/>, hashing files through <paramref name="hasher"/>.</summary>
    public static async Task<StageFingerprint> ComputeAsync(
        IEnumerable<StageInput> inputs, StageSettings settings, FileHasher hasher, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(hasher);
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            switch (input.Kind)
            {
                case StageInputKind.Files:
                    await AddFilesAsync(entries, "file:", settings.RepositoryRoot, input.Name, hasher, cancellationToken).ConfigureAwait(false);
                    break;
                case StageInputKind.Artifacts:
                    await AddFilesAsync(entries, "artifact:", settings.ResolvedArtifactsDirectory, input.Name, hasher, cancellationToken).ConfigureAwait(false);
                    break;
                case StageInputKind.Config:
                    entries["config:" + input.Name] = FileHasher.HashText(input.Text!);
                    break;
                case StageInputKind.Value:
                    entries["value:" + input.Name] = FileHasher.HashText(input.Text!);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(inputs), input.Kind, "Unknown input kind.");
            }
        }

        return new StageFingerprint(Combine(entries), entries);
    }

    /// <summary>
    /// The checksum of an output: a file's content hash, or for a folder one hash over every
    /// file's relative path and content hash; <see cref="Missing"/> when it does not exist.
    /// </summary>
    public static async Task<string> ChecksumOutputAsync(string path, FileHasher hasher, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        if (File.Exists(path))
        {
            return await hasher.HashFileAsync(path, cancellationToken).ConfigureAwait(false);
        }

        if (!Directory.Exists(path))
        {
            return Missing;
        }

        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
        {
            entries[RelativeKey(path, file)] = await hasher.HashFileAsync(file, cancellationToken).ConfigureAwait(false);
        }

        return "dir:" + Combine(entries);
    }

    private static async Task AddFilesAsync(
        SortedDictionary<string, string> entries, string prefix, string root, string pattern, FileHasher hasher, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(pattern, root);
        IEnumerable<string> files;
        if (pattern.Contains('*', StringComparison.Ordinal) || pattern.Contains('?', StringComparison.Ordinal))
        {
            var matcher = new Matcher(StringComparison.Ordinal);
            matcher.AddInclude(pattern);
            files = Directory.Exists(root) ? matcher.GetResultsInFullPath(root) : [];
            if (!files.Any())
            {
                entries["glob:" + pattern] = "empty";
                return;
            }
        }
        else if (Directory.Exists(full))
        {
            files = Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories);
        }
        else if (File.Exists(full))
        {
            files = [full];
        }
        else
        {
            entries[prefix + pattern] = Missing;
            return;
        }

        foreach (var file in files)
        {
            entries[prefix + RelativeKey(root, file)] = await hasher.HashFileAsync(file, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string RelativeKey(string root, string file) => Path.GetRelativePath(root, file).Replace('\\', '/');

    private static string Combine(IEnumerable<KeyValuePair<string, string>> entries)
    {
        var text = new StringBuilder();
        foreach (var (key, hash) in entries)
        {
            text.Append(key).Append('\0').Append(hash).Append('\n');
        }

        return FileHasher.HashText(text.ToString());
    }
}
