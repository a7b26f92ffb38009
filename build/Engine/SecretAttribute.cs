namespace Pipeline.Build;

/// <summary>
/// Marks a <see cref="ParameterAttribute"/> member whose value is never printed: help shows
/// <c>&lt;secret&gt;</c>, and any output line containing the value shows <c>***</c> instead.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class SecretAttribute : Attribute
{
}
