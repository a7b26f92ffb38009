namespace Pipeline.Configuration;

/// <summary>
/// The valid range of a numeric option. The loader checks it and the JSON Schema generator
/// publishes it, so both read the same fact. Unset bounds are <see cref="double.NaN"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class ConfigRangeAttribute : Attribute
{
    /// <summary>The lower bound, or NaN for none.</summary>
    public double Min { get; set; } = double.NaN;

    /// <summary>The upper bound, or NaN for none.</summary>
    public double Max { get; set; } = double.NaN;

    /// <summary>True when the value must be strictly greater than <see cref="Min"/>.</summary>
    public bool MinExclusive { get; set; }

    /// <summary>True when the value must be strictly less than <see cref="Max"/>.</summary>
    public bool MaxExclusive { get; set; }
}
