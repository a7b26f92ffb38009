namespace Pipeline.Configuration;

/// <summary>
/// The text editors show for an option (the JSON Schema <c>description</c>). It repeats the
/// property's XML summary, which is not available at run time.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class ConfigDescriptionAttribute(string text) : Attribute
{
    /// <summary>The description: what the option does, its default and its valid range.</summary>
    public string Text { get; } = text;
}
