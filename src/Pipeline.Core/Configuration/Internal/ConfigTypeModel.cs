using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Pipeline.Configuration.Internal;

/// <summary>One key of a config record: its YAML name, property, shape and documentation.</summary>
internal sealed record ConfigProperty(string YamlName, PropertyInfo Property, ValueShape Shape, bool Required, string? Description);

/// <summary>
/// The keys of a config record, read once by reflection. The binder and the JSON Schema
/// generator both use it, so they agree on names, types, ranges and required keys.
/// </summary>
internal sealed class ConfigTypeModel
{
    private static readonly ConcurrentDictionary<Type, ConfigTypeModel> Cache = new();

    private readonly Dictionary<string, ConfigProperty> _byName;

    private ConfigTypeModel(Type type)
    {
        Type = type;
        var nullability = new NullabilityInfoContext();
        Properties =
        [
            .. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.CanWrite && p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
                .Select(p => new ConfigProperty(
                    YamlNames.Of(p),
                    p,
                    ValueShape.Of(
                        p.PropertyType,
                        nullable: nullability.Create(p).WriteState == NullabilityState.Nullable,
                        p.GetCustomAttribute<ConfigRangeAttribute>()),
                    p.IsDefined(typeof(RequiredMemberAttribute)),
                    p.GetCustomAttribute<ConfigDescriptionAttribute>()?.Text)),
        ];
        _byName = Properties.ToDictionary(p => p.YamlName, StringComparer.Ordinal);
        ExactlyOne = type.GetCustomAttribute<ConfigExactlyOneAttribute>()?.Keys;
    }

    /// <summary>The record type.</summary>
    public Type Type { get; }

    /// <summary>Its keys in declaration order.</summary>
    public IReadOnlyList<ConfigProperty> Properties { get; }

    /// <summary>Keys of which exactly one must be set, or null.</summary>
    public IReadOnlyList<string>? ExactlyOne { get; }

    /// <summary>The model of <paramref name="type"/>, built once.</summary>
    public static ConfigTypeModel For(Type type) => Cache.GetOrAdd(type, t => new ConfigTypeModel(t));

    /// <summary>Finds a key by its YAML name.</summary>
    public bool TryGet(string yamlName, out ConfigProperty property) =>
        _byName.TryGetValue(yamlName, out property!);
}
