using YamlDotNet.RepresentationModel;

namespace Pipeline.Configuration.Internal;

/// <summary>
/// Gives each YAML node its location: its line and column in the file, or the command-line
/// option for nodes that an override put into the tree.
/// </summary>
internal sealed class NodeLocator(string file)
{
    private readonly Dictionary<YamlNode, ConfigLocation> _overrides = new(ReferenceEqualityComparer.Instance);

    /// <summary>The file name used in messages.</summary>
    public string File { get; } = file;

    /// <summary>The start of the file, for problems that have no better position.</summary>
    public ConfigLocation FileStart => new(File, 1, 1);

    /// <summary>Marks <paramref name="node"/> and everything under it as set by <paramref name="argument"/>.</summary>
    public void MarkOverride(YamlNode node, string argument)
    {
        foreach (var descendant in node.AllNodes)
        {
            _overrides[descendant] = new ConfigLocation(ConfigLocation.CommandLine, 0, 0, argument);
        }
    }

    /// <summary>True when <paramref name="node"/> came from the command line.</summary>
    public bool IsOverride(YamlNode node) => _overrides.ContainsKey(node);

    /// <summary>Where <paramref name="node"/> is.</summary>
    public ConfigLocation Locate(YamlNode node) =>
        _overrides.TryGetValue(node, out var location)
            ? location
            : new ConfigLocation(File, (int)node.Start.Line, (int)node.Start.Column);
}
