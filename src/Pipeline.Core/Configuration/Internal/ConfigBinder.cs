using System.Collections;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Configuration.Internal;

/// <summary>
/// Maps a YAML tree onto the config records by reflection: snake_case keys to properties,
/// mappings to records and dictionaries, sequences to lists, scalars through
/// <see cref="ConvertScalar"/>. Every problem goes to the <see cref="ErrorSink"/>; binding goes
/// on so that one run reports them all. Keys that are absent keep the record's default.
/// </summary>
internal sealed partial class ConfigBinder(NodeLocator locator, EnvironmentExpander expander, ErrorSink errors)
{
    /// <summary>Where each bound key path's value is, for rules checked after binding.</summary>
    public Dictionary<string, ConfigLocation> Locations { get; } = new(StringComparer.Ordinal);

    /// <summary>Binds <paramref name="node"/> to a new instance of the record <paramref name="type"/>.</summary>
    public object BindRecord(Type type, YamlMappingNode node, string path)
    {
        var model = ConfigTypeModel.For(type);
        var instance = Activator.CreateInstance(type)!;
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in node.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                errors.Add(locator.Locate(keyNode), path, "has a key that is not a plain name; keys are snake_case words");
                continue;
            }

            var keyPath = Join(path, key);
            if (!model.TryGet(key, out var property))
            {
                ReportUnknownKey(model, keyNode, keyPath, key);
                continue;
            }

            present.Add(key);
            Locations[keyPath] = locator.Locate(valueNode);
            if (TryBind(property.Shape, valueNode, keyPath, out var value))
            {
                property.Property.SetValue(instance, value);
            }
        }

        foreach (var property in model.Properties.Where(p => p.Required && !present.Contains(p.YamlName)))
        {
            errors.Add(locator.Locate(node), Join(path, property.YamlName), "is required; add it to this section");
        }

        CheckExactlyOne(model, instance, node, path);
        return instance;
    }

    private bool TryBind(ValueShape shape, YamlNode node, string path, out object? value)
    {
        value = null;
        if (IsNull(node))
        {
            if (shape.Nullable)
            {
                return true;
            }

            // An empty section (all keys commented out) keeps every default.
            if (shape.Kind != ValueKind.Record)
            {
                errors.Add(locator.Locate(node), path, $"must be {shape.Describe()}, got nothing");
            }

            return false;
        }

        switch (shape.Kind)
        {
            case ValueKind.Record when node is YamlMappingNode mapping:
                value = BindRecord(shape.Type, mapping, path);
                return true;
            case ValueKind.List when node is YamlSequenceNode sequence:
                return TryBindList(shape, sequence, path, out value);
            case ValueKind.Dictionary when node is YamlMappingNode mapping:
                return TryBindDictionary(shape, mapping, path, out value);
            case not (ValueKind.Record or ValueKind.List or ValueKind.Dictionary) when node is YamlScalarNode scalar:
                return TryBindScalar(shape, scalar, path, out value);
            default:
                errors.Add(locator.Locate(node), path, $"must be {shape.Describe()}, got {Describe(node)}");
                return false;
        }
    }

    private bool TryBindList(ValueShape shape, YamlSequenceNode sequence, string path, out object? value)
    {
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(shape.Element!.Type))!;
        var ok = true;
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            Locations[itemPath] = locator.Locate(sequence.Children[i]);
            if (shape.Element.Kind == ValueKind.Record && IsNull(sequence.Children[i]))
            {
                // Unlike an empty section, an empty list item has no default to fall back on.
                errors.Add(locator.Locate(sequence.Children[i]), itemPath, $"must be {shape.Element.Describe()}, got nothing");
                ok = false;
            }
            else if (TryBind(shape.Element, sequence.Children[i], itemPath, out var item) && item is not null)
            {
                list.Add(item);
            }
            else
            {
                ok = false;
            }
        }

        var count = list.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (ok && !CheckRange(shape.Range, list.Count, count, locator.Locate(sequence), path, "items"))
        {
            ok = false;
        }

        value = list;
        return ok;
    }

    private bool TryBindDictionary(ValueShape shape, YamlMappingNode mapping, string path, out object? value)
    {
        var dictionary = (IDictionary)Activator.CreateInstance(
            typeof(Dictionary<,>).MakeGenericType(typeof(string), shape.Element!.Type), StringComparer.Ordinal)!;
        var ok = true;
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { Length: > 0 } key })
            {
                errors.Add(locator.Locate(keyNode), path, "has an empty or complex key; keys must be plain strings");
                ok = false;
                continue;
            }

            var entryPath = Join(path, key);
            Locations[entryPath] = locator.Locate(valueNode);
            if (TryBind(shape.Element, valueNode, entryPath, out var entry) && entry is not null)
            {
                dictionary[key] = entry;
            }
            else
            {
                ok = false;
            }
        }

        value = dictionary;
        return ok;
    }

    private void ReportUnknownKey(ConfigTypeModel model, YamlNode keyNode, string keyPath, string key)
    {
        var known = model.Properties.Select(p => p.YamlName).ToList();
        var suggestion = Suggestions.Closest(key, known);
        var hint = suggestion is not null
            ? $"did you mean '{suggestion}'?"
            : "known keys here: " + string.Join(", ", known);
        errors.Add(locator.Locate(keyNode), keyPath, $"is not a known key; {hint}");
    }

    private void CheckExactlyOne(ConfigTypeModel model, object instance, YamlMappingNode node, string path)
    {
        if (model.ExactlyOne is not { } keys || errors.HasErrorAt(path))
        {
            return;
        }

        var set = keys.Where(k => model.TryGet(k, out var p) && p.Property.GetValue(instance) is not (null or false)).ToList();
        if (set.Count != 1)
        {
            var options = string.Join(", ", keys.Take(keys.Count - 1)) + " or " + keys[^1];
            var found = set.Count == 0 ? "it sets none" : "it sets " + string.Join(" and ", set);
            errors.Add(locator.Locate(node), path, $"must set exactly one of {options}; {found}");
        }
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private static string Describe(YamlNode node) => node switch
    {
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        YamlScalarNode scalar => Quote(scalar.Value ?? ""),
        _ => "an alias",
    };

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
}
