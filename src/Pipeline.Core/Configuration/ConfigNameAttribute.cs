namespace Pipeline.Configuration;

/// <summary>
/// The name an enum value or property has in <c>pipeline.yaml</c> when it is not simply the
/// snake_case form of the C# name, e.g. <c>lp-ft</c> for <c>TrainingTechnique.LpFt</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class ConfigNameAttribute(string name) : Attribute
{
    /// <summary>The YAML name.</summary>
    public string Name { get; } = name;
}
