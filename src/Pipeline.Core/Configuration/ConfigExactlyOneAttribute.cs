namespace Pipeline.Configuration;

/// <summary>
/// A record whose YAML form must set exactly one of the named keys (a boolean key counts as set
/// only when true). The loader reports none or several as an error, and the JSON Schema
/// generator writes the same rule as <c>oneOf</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class ConfigExactlyOneAttribute(params string[] keys) : Attribute
{
    /// <summary>The YAML keys, e.g. <c>min</c>, <c>max_drop</c>, <c>significant_improvement</c>.</summary>
    public IReadOnlyList<string> Keys { get; } = keys;
}
