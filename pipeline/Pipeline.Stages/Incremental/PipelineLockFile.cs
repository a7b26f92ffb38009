using System.Globalization;
using Pipeline.Errors;
using Pipeline.IO;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Stages.Incremental;

/// <summary>
/// <c>pipeline.lock</c>: YAML, committed, reviewable like <c>dvc.lock</c>. Stages appear in
/// pipeline order, then by name; inputs and outputs in ordinal key order, so the same state
/// always gives the same bytes and a diff shows only what changed. Writes are atomic and
/// serialized within the process (stages that run in parallel share one file).
/// </summary>
public sealed class PipelineLockFile
{
    /// <summary>The layout version written in the file's <c>schema</c> key.</summary>
    public const int Schema = 1;

    private const string Header =
        "# pipeline.lock: the inputs and outputs of each stage's last completed run.\n" +
        "# Written by the pipeline; commit it so reviewers see what data and config produced a model.\n";

    private readonly Lock _gate = new();

    /// <summary>Uses the lock file at <paramref name="path"/> (it need not exist yet).</summary>
    public PipelineLockFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The file's full path.</summary>
    public string Path { get; }

    /// <summary>Reads every stage's entry; empty when the file does not exist.</summary>
    /// <exception cref="PipelineException">The file is not a valid lock file; the message says where.</exception>
    public IReadOnlyDictionary<string, StageLockEntry> Read()
    {
        if (!File.Exists(Path))
        {
            return new Dictionary<string, StageLockEntry>(StringComparer.Ordinal);
        }

        try
        {
            return Parse(File.ReadAllText(Path));
        }
        catch (Exception ex) when (ex is YamlException or FormatException or InvalidCastException or KeyNotFoundException)
        {
            throw new PipelineException(
                $"{Path}: not a valid pipeline.lock ({ex.Message}). Delete it (every stage then reruns once) or restore it from Git.", ex);
        }
    }

    /// <summary>Records <paramref name="entry"/> for <paramref name="stage"/>, keeping the other stages' entries.</summary>
    public void WriteEntry(string stage, StageLockEntry entry)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stage);
        ArgumentNullException.ThrowIfNull(entry);
        lock (_gate)
        {
            var entries = new Dictionary<string, StageLockEntry>(Read(), StringComparer.Ordinal) { [stage] = entry };
            AtomicFile.WriteAllText(Path, Render(entries));
        }
    }

    /// <summary>The file's text for <paramref name="entries"/>: deterministic for the same entries.</summary>
    public static string Render(IReadOnlyDictionary<string, StageLockEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var stages = new YamlMappingNode();
        foreach (var (name, entry) in entries.OrderBy(e => StageOrder(e.Key)).ThenBy(e => e.Key, StringComparer.Ordinal))
        {
            stages.Add(name, new YamlMappingNode
            {
                { "fingerprint", entry.Fingerprint },
                { "completed", entry.Completed.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) },
                { "inputs", SortedMap(entry.Inputs) },
                { "outputs", SortedMap(entry.Outputs) },
            });
        }

        var root = new YamlMappingNode
        {
            { "schema", Schema.ToString(CultureInfo.InvariantCulture) },
            { "stages", stages },
        };
        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        var yaml = writer.ToString();

        // YamlStream ends every document with "...": a lock file is one document, drop it.
        yaml = yaml.TrimEnd();
        if (yaml.EndsWith("...", StringComparison.Ordinal))
        {
            yaml = yaml[..^3].TrimEnd();
        }

        return Header + yaml + "\n";
    }

    private static Dictionary<string, StageLockEntry> Parse(string text)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(text))
        {
            stream.Load(reader);
        }

        var result = new Dictionary<string, StageLockEntry>(StringComparer.Ordinal);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return result;
        }

        var schema = ((YamlScalarNode)root.Children[new YamlScalarNode("schema")]).Value;
        if (schema != Schema.ToString(CultureInfo.InvariantCulture))
        {
            throw new FormatException($"schema {schema} is not supported (this version writes {Schema})");
        }

        if (!root.Children.TryGetValue(new YamlScalarNode("stages"), out var stagesNode) || stagesNode is not YamlMappingNode stages)
        {
            return result;
        }

        foreach (var (key, value) in stages.Children)
        {
            var stage = (YamlMappingNode)value;
            result[((YamlScalarNode)key).Value!] = new StageLockEntry(
                Scalar(stage, "fingerprint"),
                DateTimeOffset.Parse(Scalar(stage, "completed"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                Map(stage, "inputs"),
                Map(stage, "outputs"));
        }

        return result;
    }

    private static string Scalar(YamlMappingNode node, string key) =>
        ((YamlScalarNode)node.Children[new YamlScalarNode(key)]).Value ?? "";

    private static Dictionary<string, string> Map(YamlMappingNode node, string key)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlMappingNode mapping)
        {
            foreach (var (k, v) in mapping.Children)
            {
                map[((YamlScalarNode)k).Value!] = ((YamlScalarNode)v).Value ?? "";
            }
        }

        return map;
    }

    private static YamlMappingNode SortedMap(IReadOnlyDictionary<string, string> values)
    {
        var node = new YamlMappingNode();
        foreach (var (key, value) in values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            node.Add(key, value);
        }

        return node;
    }

    private static int StageOrder(string stage)
    {
        var index = StageNames.All.ToList().FindIndex(s => string.Equals(s, stage, StringComparison.OrdinalIgnoreCase));
        return index < 0 ? int.MaxValue : index;
    }
}
