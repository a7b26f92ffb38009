using YamlDotNet.RepresentationModel;

namespace Pipeline.Stages.Tests.Workflows;

/// <summary>A workflow file parsed with YamlDotNet, with lookups that fail with the missing key's path.</summary>
public sealed class Workflow
{
    private Workflow(string name, YamlMappingNode root)
    {
        Name = name;
        Root = root;
    }

    public string Name { get; }

    public YamlMappingNode Root { get; }

    public YamlMappingNode On => Map(Root, "on");

    public IReadOnlyDictionary<string, YamlMappingNode> Jobs =>
        Map(Root, "jobs").Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => (YamlMappingNode)c.Value);

    public static Workflow Load(string fileName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "workflows", fileName);
        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            stream.Load(reader);
        }

        return new Workflow(fileName, (YamlMappingNode)stream.Documents[0].RootNode);
    }

    public static YamlMappingNode Map(YamlMappingNode node, string key) =>
        Find(node, key) as YamlMappingNode ?? throw new KeyNotFoundException($"'{key}' is missing or not a mapping");

    public static YamlNode? Find(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static string? Scalar(YamlMappingNode node, string key) => (Find(node, key) as YamlScalarNode)?.Value;

    public static IReadOnlyList<string> Strings(YamlNode? node) => node switch
    {
        YamlSequenceNode sequence => [.. sequence.Children.Select(c => ((YamlScalarNode)c).Value!)],
        YamlScalarNode scalar => [scalar.Value!],
        _ => [],
    };

    public static IReadOnlyList<YamlMappingNode> Steps(YamlMappingNode job) =>
        [.. ((YamlSequenceNode)Find(job, "steps")!).Children.Cast<YamlMappingNode>()];

    public static bool IsSelfHosted(YamlMappingNode job) => Strings(Find(job, "runs-on")).Contains("self-hosted");
}
