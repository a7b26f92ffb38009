using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Configuration.Internal;

/// <summary>
/// Writes command-line overrides (<c>train.epochs</c> = <c>3</c>) into the YAML tree before
/// binding, so they are checked exactly like file values. A value that starts with <c>[</c> or
/// <c>{</c> is parsed as YAML flow (<c>[query, key, value]</c>); anything else is one string.
/// Numeric segments index lists (<c>evaluate.gates.0.min</c>). Override values are not
/// environment-expanded: the shell already did that.
/// </summary>
internal static class OverrideApplier
{
    /// <summary>Applies every override to <paramref name="root"/>, reporting bad paths and values to <paramref name="errors"/>.</summary>
    public static void Apply(YamlMappingNode root, IReadOnlyDictionary<string, string> overrides, NodeLocator locator, ErrorSink errors)
    {
        foreach (var (path, text) in overrides)
        {
            var argument = YamlNames.ToArgument(path);
            var location = new ConfigLocation(ConfigLocation.CommandLine, 0, 0, argument);
            var segments = path.Split('.');
            if (segments.Any(s => s.Length == 0))
            {
                errors.Add(location, path, "is not a key path; write section.key, e.g. train.epochs");
                continue;
            }

            var value = ParseValue(text, location, path, errors);
            if (value is null)
            {
                continue;
            }

            locator.MarkOverride(value, argument);
            Set(root, segments, value, locator, location, path, errors);
        }
    }

    private static void Set(YamlMappingNode root, string[] segments, YamlNode value, NodeLocator locator, ConfigLocation location, string path, ErrorSink errors)
    {
        YamlNode current = root;
        for (var i = 0; i < segments.Length; i++)
        {
            var last = i == segments.Length - 1;
            var prefix = string.Join('.', segments.Take(i));
            if (current is YamlSequenceNode sequence)
            {
                if (!int.TryParse(segments[i], NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= sequence.Children.Count)
                {
                    errors.Add(location, path, $"cannot be set: {prefix} is a list of {sequence.Children.Count} items; use an index from 0 to {sequence.Children.Count - 1}");
                    return;
                }

                current = last ? sequence.Children[index] = value : sequence.Children[index];
                continue;
            }

            if (current is not YamlMappingNode mapping)
            {
                errors.Add(location, path, $"cannot be set: {prefix} is a single value, not a section");
                return;
            }

            var key = mapping.Children.Keys.FirstOrDefault(k => k is YamlScalarNode { Value: { } v } && v == segments[i]);
            if (key is null)
            {
                key = new YamlScalarNode(segments[i]);
                locator.MarkOverride(key, location.Argument!);
            }

            if (last)
            {
                mapping.Children[key] = value;
            }
            else if (!mapping.Children.TryGetValue(key, out var child) || child is YamlScalarNode { Value: null or "" or "~" or "null" })
            {
                var section = new YamlMappingNode();
                locator.MarkOverride(section, location.Argument!);
                mapping.Children[key] = section;
                current = section;
            }
            else
            {
                current = child;
            }
        }
    }

    private static YamlNode? ParseValue(string text, ConfigLocation location, string path, ErrorSink errors)
    {
        var trimmed = text.Trim();
        if (!trimmed.StartsWith('[') && !trimmed.StartsWith('{'))
        {
            return new YamlScalarNode(text) { Style = ScalarStyle.DoubleQuoted };
        }

        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(trimmed));
            return stream.Documents[0].RootNode;
        }
        catch (YamlException ex)
        {
            errors.Add(location, path, $"has a value that is not valid YAML flow ({YamlErrors.Describe(ex)}): {text}");
            return null;
        }
    }
}
