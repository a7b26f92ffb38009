using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Pipeline.Configuration;
using Pipeline.Registry;
using Pipeline.Stages.Lineage;

namespace Pipeline.Stages.Register;

/// <summary>The effective <c>pipeline.yaml</c> as MLflow params: one per key path (<c>train.lora.rank</c> = <c>8</c>).</summary>
internal static class ConfigParams
{
    /// <summary>MLflow's limit on a param value's length.</summary>
    private const int MaxValueLength = 6000;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new ConfigEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// Flattens <paramref name="config"/>: objects by key path, lists of scalars as one comma-separated
    /// value, lists of objects by index (<c>data.sources.0.path</c>). A tracking URI loses any credentials.
    /// </summary>
    public static IReadOnlyList<Param> Flatten(PipelineOptions config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var safe = config with { Register = config.Register with { TrackingUri = config.Register.TrackingUri is { Length: > 0 } uri ? RemoteUrls.StripCredentials(uri) : null } };
        var result = new List<Param>();
        Walk(JsonSerializer.SerializeToNode(safe, Json), "", result);
        return result;
    }

    private static void Walk(JsonNode? node, string path, List<Param> result)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    Walk(value, path.Length == 0 ? key : $"{path}.{key}", result);
                }

                break;
            case JsonArray array when array.All(item => item is JsonValue or null):
                Add(path, string.Join(',', array.Select(Scalar)), result);
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(array[i], $"{path}.{i.ToString(CultureInfo.InvariantCulture)}", result);
                }

                break;
            case null:
                break;
            default:
                Add(path, Scalar(node), result);
                break;
        }
    }

    /// <summary>Enum values as pipeline.yaml spells them: the <see cref="ConfigNameAttribute"/> name, else snake_case.</summary>
    private static string EnumName(Enum value)
    {
        var name = value.ToString();
        var member = value.GetType().GetField(name);
        return member?.GetCustomAttributes(typeof(ConfigNameAttribute), false).FirstOrDefault() is ConfigNameAttribute attribute
            ? attribute.Name
            : JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
    }

    /// <summary>Writes enums with <see cref="EnumName"/>.</summary>
    private sealed class ConfigEnumConverter : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert))!;

        private sealed class Converter<T> : JsonConverter<T>
            where T : struct, Enum
        {
            public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
                throw new NotSupportedException("Config params are written, never read back.");

            public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(EnumName(value));
        }
    }

    private static string Scalar(JsonNode? node) => node switch
    {
        null => "",
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonValue value when value.TryGetValue<double>(out var number) => number.ToString("R", CultureInfo.InvariantCulture),
        _ => node.ToJsonString(),
    };

    private static void Add(string path, string value, List<Param> result) =>
        result.Add(new Param(path, value.Length > MaxValueLength ? value[..MaxValueLength] : value));
}
