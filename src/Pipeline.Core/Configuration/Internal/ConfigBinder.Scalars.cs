using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Configuration.Internal;

/// <summary>Scalars: environment expansion, conversion to the key's type, and range checks.</summary>
internal sealed partial class ConfigBinder
{
    private const int MaxQuotedLength = 60;

    private bool TryBindScalar(ValueShape shape, YamlScalarNode scalar, string path, out object? value)
    {
        value = null;
        var location = locator.Locate(scalar);
        var raw = scalar.Value ?? "";
        var text = locator.IsOverride(scalar) ? raw : expander.Expand(raw, location, path, errors);
        if (text is null)
        {
            return false;
        }

        if (text.Length == 0 && shape.Nullable)
        {
            return true;
        }

        if (!ConvertScalar(shape, text, out value, out var expected))
        {
            errors.Add(location, path, $"must be {expected}, got {Quote(text)}");
            return false;
        }

        return value is not (int or long or double) || CheckRange(shape.Range, Convert.ToDouble(value, CultureInfo.InvariantCulture), text, location, path, null);
    }

    /// <summary>
    /// Converts <paramref name="text"/> to the shape's type. On failure <paramref name="expected"/>
    /// says what was expected, e.g. <c>a number</c> or <c>one of head, full (did you mean 'full'?)</c>.
    /// </summary>
    private static bool ConvertScalar(ValueShape shape, string text, out object? value, out string expected)
    {
        expected = shape.Describe();
        value = null;
        switch (shape.Kind)
        {
            case ValueKind.String:
                expected = "a non-empty string";
                value = text;
                return text.Length > 0;
            case ValueKind.Int32 when int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i):
                value = i;
                return true;
            case ValueKind.Int32 when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _):
                expected = $"an integer from {int.MinValue} to {int.MaxValue}";
                return false;
            case ValueKind.Int64 when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l):
                value = l;
                return true;
            case ValueKind.Double when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d):
                value = d;
                return true;
            case ValueKind.Boolean when bool.TryParse(text, out var b):
                value = b;
                return true;
            case ValueKind.Char when text.Length == 1:
                value = text[0];
                return true;
            case ValueKind.Enum:
                var names = YamlNames.EnumValues(shape.Type);
                var match = names.FirstOrDefault(n => string.Equals(n.Name, text, StringComparison.OrdinalIgnoreCase));
                value = match.Value;
                if (value is null && Suggestions.Closest(text, names.Select(n => n.Name)) is { } suggestion)
                {
                    expected += $" (did you mean '{suggestion}'?)";
                }

                return value is not null;
            default:
                return false;
        }
    }

    /// <summary>Checks <paramref name="number"/> against <paramref name="range"/>; <paramref name="unit"/> is "items" for list lengths.</summary>
    private bool CheckRange(ConfigRangeAttribute? range, double number, string text, ConfigLocation location, string path, string? unit)
    {
        if (range is null)
        {
            return true;
        }

        var belowMin = !double.IsNaN(range.Min) && (number < range.Min || (range.MinExclusive && number == range.Min));
        var aboveMax = !double.IsNaN(range.Max) && (number > range.Max || (range.MaxExclusive && number == range.Max));
        if (!belowMin && !aboveMax)
        {
            return true;
        }

        var got = unit is null ? text : $"{text} {unit}";
        errors.Add(location, path, $"must {DescribeRange(range, unit)}, got {got}");
        return false;
    }

    /// <summary>"be &gt; 0", "be within [0, 1)", "have at least 1 items".</summary>
    internal static string DescribeRange(ConfigRangeAttribute range, string? unit)
    {
        var min = range.Min.ToString(CultureInfo.InvariantCulture);
        var max = range.Max.ToString(CultureInfo.InvariantCulture);
        var hasMin = !double.IsNaN(range.Min);
        var hasMax = !double.IsNaN(range.Max);
        if (unit is not null)
        {
            return hasMin && hasMax ? $"have between {min} and {max} {unit}"
                : hasMin ? $"have at least {min} {unit}"
                : $"have at most {max} {unit}";
        }

        if (hasMin && hasMax)
        {
            return range.Min == range.Max
                ? $"be {min}"
                : $"be within {(range.MinExclusive ? "(" : "[")}{min}, {max}{(range.MaxExclusive ? ")" : "]")}";
        }

        return hasMin
            ? $"be {(range.MinExclusive ? ">" : ">=")} {min}"
            : $"be {(range.MaxExclusive ? "<" : "<=")} {max}";
    }

    private static string Quote(string text) =>
        text.Length <= MaxQuotedLength ? $"'{text}'" : $"'{text[..MaxQuotedLength]}...'";
}
