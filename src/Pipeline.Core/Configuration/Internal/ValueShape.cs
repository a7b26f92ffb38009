namespace Pipeline.Configuration.Internal;

/// <summary>The kinds of value <c>pipeline.yaml</c> holds.</summary>
internal enum ValueKind
{
    Record,
    List,
    Dictionary,
    String,
    Int32,
    Int64,
    Double,
    Boolean,
    Char,
    Enum,
}

/// <summary>
/// What a key may hold: its kind, CLR type (without <c>Nullable&lt;&gt;</c>), whether null is
/// allowed, its range (count bounds for lists) and, for lists and dictionaries, the element shape.
/// </summary>
internal sealed record ValueShape(ValueKind Kind, Type Type, bool Nullable, ConfigRangeAttribute? Range, ValueShape? Element)
{
    /// <summary>True for kinds written as one YAML scalar.</summary>
    public bool IsScalar => Kind is not (ValueKind.Record or ValueKind.List or ValueKind.Dictionary);

    /// <summary>Builds the shape of <paramref name="type"/>.</summary>
    public static ValueShape Of(Type type, bool nullable, ConfigRangeAttribute? range)
    {
        var underlying = System.Nullable.GetUnderlyingType(type);
        if (underlying is not null)
        {
            return Of(underlying, nullable: true, range);
        }

        if (type.IsEnum)
        {
            return new ValueShape(ValueKind.Enum, type, nullable, range, null);
        }

        if (type == typeof(string) || type == typeof(int) || type == typeof(long) || type == typeof(double)
            || type == typeof(bool) || type == typeof(char))
        {
            var kind = Type.GetTypeCode(type) switch
            {
                TypeCode.String => ValueKind.String,
                TypeCode.Int32 => ValueKind.Int32,
                TypeCode.Int64 => ValueKind.Int64,
                TypeCode.Double => ValueKind.Double,
                TypeCode.Boolean => ValueKind.Boolean,
                _ => ValueKind.Char,
            };
            return new ValueShape(kind, type, nullable, range, null);
        }

        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            var arguments = type.GetGenericArguments();
            if (definition == typeof(IReadOnlyList<>))
            {
                return new ValueShape(ValueKind.List, type, nullable, range, Of(arguments[0], nullable: false, null));
            }

            if (definition == typeof(IReadOnlyDictionary<,>) && arguments[0] == typeof(string))
            {
                return new ValueShape(ValueKind.Dictionary, type, nullable, range, Of(arguments[1], nullable: false, null));
            }
        }

        if (type.IsClass && type.GetConstructor(Type.EmptyTypes) is not null)
        {
            return new ValueShape(ValueKind.Record, type, nullable, range, null);
        }

        throw new NotSupportedException($"Config type {type} is not supported: use a record, IReadOnlyList<T>, IReadOnlyDictionary<string, T>, an enum, string, int, long, double, bool or char.");
    }

    /// <summary>What the value must be, for messages: "a number", "one of head, full".</summary>
    public string Describe() => Kind switch
    {
        ValueKind.Record => "a mapping of keys",
        ValueKind.List => "a list",
        ValueKind.Dictionary => "a mapping",
        ValueKind.String => "a string",
        ValueKind.Int32 or ValueKind.Int64 => "an integer",
        ValueKind.Double => "a number",
        ValueKind.Boolean => "true or false",
        ValueKind.Char => "a single character",
        _ => "one of " + string.Join(", ", YamlNames.EnumValues(Type).Select(v => v.Name)),
    };
}
