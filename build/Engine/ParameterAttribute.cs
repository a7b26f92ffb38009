namespace Pipeline.Build;

/// <summary>
/// Marks a field or property of the build class as a parameter. Its value comes from, in order:
/// the command line (<c>--epochs 3</c>, kebab-case), an environment variable (same name,
/// case-insensitive, underscores allowed: <c>EPOCHS</c>), <c>.nuke/parameters.json</c>
/// (key = member name), or else the member's initial value.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class ParameterAttribute : Attribute
{
    /// <summary>A parameter with no description.</summary>
    public ParameterAttribute()
    {
        Description = "";
    }

    /// <summary>A parameter described by <paramref name="description"/> in <c>--help</c> and the schema.</summary>
    public ParameterAttribute(string description)
    {
        Description = description;
    }

    /// <summary>The text shown by <c>--help</c>.</summary>
    public string Description { get; }

    /// <summary>The name to bind from instead of the member's name (PascalCase, e.g. <c>Epochs</c>).</summary>
    public string? Name { get; set; }
}
