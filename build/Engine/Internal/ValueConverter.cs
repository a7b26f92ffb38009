using System.Globalization;

namespace Pipeline.Build.Internal;

/// <summary>Turns the words given for a parameter into its typed value.</summary>
internal static class ValueConverter
{
    /// <summary>Whether <paramref name="type"/> takes several values.</summary>
    public static bool IsArray(Type type) => type.IsArray;

    /// <summary>Whether <paramref name="type"/> is a flag that may appear without a value.</summary>
    public static bool IsBool(Type type) => (Nullable.GetUnderlyingType(type) ?? type) == typeof(bool);

    /// <summary>Converts <paramref name="values"/>; returns false with <paramref name="badValue"/> set when one does not fit.</summary>
    public static bool TryConvert(IReadOnlyList<string> values, Type type, string rootDirectory, out object? result, out string badValue)
    {
        result = null;
        badValue = "";
        if (type.IsArray)
        {
            var elementType = type.GetElementType()!;
            var array = Array.CreateInstance(elementType, values.Count);
            for (var i = 0; i < values.Count; i++)
            {
                if (!TryConvertOne(values[i], elementType, rootDirectory, out var element))
                {
                    badValue = values[i];
                    return false;
                }

                array.SetValue(element, i);
            }

            result = array;
            return true;
        }

        var text = values.Count == 0 ? "" : values[0];
        if (!TryConvertOne(text, type, rootDirectory, out result))
        {
            badValue = text;
            return false;
        }

        return true;
    }

    /// <summary>What a value of <paramref name="type"/> looks like, for error messages and help.</summary>
    public static string Describe(Type type)
    {
        if (type.IsArray)
        {
            return $"a list (each {Describe(type.GetElementType()!)})";
        }

        var inner = Nullable.GetUnderlyingType(type) ?? type;
        return inner switch
        {
            _ when inner == typeof(string) => "a string",
            _ when inner == typeof(int) => "an integer (int)",
            _ when inner == typeof(long) => "an integer (long)",
            _ when inner == typeof(double) => "a number (double)",
            _ when inner == typeof(bool) => "true or false",
            _ when inner == typeof(AbsolutePath) => "a path",
            _ when inner.IsEnum => $"one of: {string.Join(", ", EnumNames(inner))}",
            _ => inner.Name,
        };
    }

    /// <summary>The names of an enum's values, as they are typed (kebab-case).</summary>
    public static IEnumerable<string> EnumNames(Type enumType) => Enum.GetNames(enumType).Select(Naming.Kebab);

    private static bool TryConvertOne(string text, Type type, string rootDirectory, out object? value)
    {
        value = null;
        var inner = Nullable.GetUnderlyingType(type);
        if (inner is not null && string.IsNullOrEmpty(text))
        {
            return true;
        }

        inner ??= type;
        var culture = CultureInfo.InvariantCulture;
        if (inner == typeof(string))
        {
            value = text;
        }
        else if (inner == typeof(int) && int.TryParse(text, NumberStyles.Integer, culture, out var i))
        {
            value = i;
        }
        else if (inner == typeof(long) && long.TryParse(text, NumberStyles.Integer, culture, out var l))
        {
            value = l;
        }
        else if (inner == typeof(double) && double.TryParse(text, NumberStyles.Float, culture, out var d))
        {
            value = d;
        }
        else if (inner == typeof(bool) && bool.TryParse(text, out var b))
        {
            value = b;
        }
        else if (inner == typeof(AbsolutePath) && text.Length > 0)
        {
            value = AbsolutePath.Create(Path.GetFullPath(text, rootDirectory));
        }
        else if (inner.IsEnum)
        {
            var name = Enum.GetNames(inner).FirstOrDefault(n => Naming.Normalize(n) == Naming.Normalize(text));
            value = name is null ? null : Enum.Parse(inner, name);
        }

        return value is not null;
    }
}
