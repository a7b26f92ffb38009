using System.Collections;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Configuration.Internal;

namespace Pipeline.Configuration;

/// <summary>
/// Generates <c>pipeline.schema.json</c> (JSON Schema draft-07) from the option records and
/// their attributes, so editors validate and complete <c>pipeline.yaml</c> with the same names,
/// types, ranges, enum values and descriptions the loader enforces.
/// </summary>
public static class PipelineSchema
{
    /// <summary>The schema's conventional file name, next to <c>pipeline.yaml</c>.</summary>
    public const string FileName = "pipeline.schema.json";

    private const string EnvReference = "envReference";

    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The schema as indented JSON with a trailing newline.</summary>
    public static string Generate()
    {
        var schema = new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-07/schema#",
            ["title"] = "pipeline.yaml",
            ["description"] = "The fine-tuning pipeline's one config. Generated from src/Pipeline.Core/Configuration; do not edit by hand.",
        };
        foreach (var (key, value) in RecordSchema(typeof(PipelineOptions)))
        {
            schema[key] = value?.DeepClone();
        }

        schema["definitions"] = new JsonObject
        {
            [EnvReference] = new JsonObject
            {
                ["description"] = "An environment variable reference, ${VAR} or ${VAR:-default}, expanded when the file is loaded.",
                ["type"] = "string",
                ["pattern"] = @"\$\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\}",
            },
        };
        return schema.ToJsonString(WriteOptions).ReplaceLineEndings("\n") + "\n";
    }

    private static JsonObject RecordSchema(Type type)
    {
        var model = ConfigTypeModel.For(type);
        var defaults = Activator.CreateInstance(type)!;
        var properties = new JsonObject();
        foreach (var property in model.Properties)
        {
            var node = ValueSchema(property.Shape);
            if (property.Shape.Kind != ValueKind.Record && property.Property.GetValue(defaults) is { } value)
            {
                node["default"] = ToJson(value);
            }

            properties[property.YamlName] = WithDescription(node, property.Description);
        }

        var schema = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = properties,
            ["additionalProperties"] = false,
        };
        var required = model.Properties.Where(p => p.Required).Select(p => (JsonNode)p.YamlName).ToArray();
        if (required.Length > 0)
        {
            schema["required"] = new JsonArray(required);
        }

        if (model.ExactlyOne is { } keys)
        {
            schema["oneOf"] = new JsonArray([.. keys.Select(k => ExactlyOneBranch(model, k))]);
        }

        return schema;
    }

    private static JsonObject ExactlyOneBranch(ConfigTypeModel model, string key)
    {
        // A boolean key counts as set only when true, so its branch requires the value true.
        var branch = new JsonObject { ["required"] = new JsonArray(key) };
        if (model.TryGet(key, out var property) && property.Shape.Kind == ValueKind.Boolean)
        {
            branch["properties"] = new JsonObject { [key] = new JsonObject { ["const"] = true } };
        }

        return branch;
    }

    private static JsonObject ValueSchema(ValueShape shape)
    {
        var schema = shape.Kind switch
        {
            ValueKind.Record => RecordSchema(shape.Type),
            ValueKind.List => new JsonObject { ["type"] = "array", ["items"] = ValueSchema(shape.Element!) },
            ValueKind.Dictionary => new JsonObject { ["type"] = "object", ["additionalProperties"] = ValueSchema(shape.Element!) },
            ValueKind.String => new JsonObject { ["type"] = "string", ["minLength"] = shape.Nullable ? 0 : 1 },
            ValueKind.Int32 or ValueKind.Int64 => new JsonObject { ["type"] = "integer" },
            ValueKind.Double => new JsonObject { ["type"] = "number" },
            ValueKind.Boolean => new JsonObject { ["type"] = "boolean" },
            ValueKind.Char => new JsonObject { ["type"] = "string", ["minLength"] = 1, ["maxLength"] = 1 },
            _ => new JsonObject { ["type"] = "string", ["enum"] = new JsonArray([.. YamlNames.EnumValues(shape.Type).Select(v => (JsonNode)v.Name)]) },
        };
        AddRange(schema, shape);
        if (shape.Nullable)
        {
            schema["type"] = new JsonArray(schema["type"]!.DeepClone(), "null");
        }

        // Numbers, booleans and enums may also be written as ${VAR} references.
        return shape.IsScalar && shape.Kind is not (ValueKind.String or ValueKind.Char)
            ? new JsonObject { ["anyOf"] = new JsonArray(schema, new JsonObject { ["$ref"] = $"#/definitions/{EnvReference}" }) }
            : schema;
    }

    private static void AddRange(JsonObject schema, ValueShape shape)
    {
        if (shape.Range is not { } range)
        {
            return;
        }

        var list = shape.Kind == ValueKind.List;
        if (!double.IsNaN(range.Min))
        {
            schema[list ? "minItems" : range.MinExclusive ? "exclusiveMinimum" : "minimum"] = range.Min;
        }

        if (!double.IsNaN(range.Max))
        {
            schema[list ? "maxItems" : range.MaxExclusive ? "exclusiveMaximum" : "maximum"] = range.Max;
        }
    }

    private static JsonObject WithDescription(JsonObject node, string? description)
    {
        if (description is null)
        {
            return node;
        }

        var described = new JsonObject { ["description"] = description };
        foreach (var (key, value) in node)
        {
            described[key] = value?.DeepClone();
        }

        return described;
    }

    private static JsonNode? ToJson(object value) => value switch
    {
        string s => JsonValue.Create(s),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        bool b => JsonValue.Create(b),
        char c => JsonValue.Create(c.ToString()),
        Enum e => YamlNames.OfEnumValue(e),
        IDictionary dictionary => new JsonObject(dictionary.Cast<DictionaryEntry>()
            .Select(e => KeyValuePair.Create((string)e.Key, ToJson(e.Value!)))),
        IEnumerable items => new JsonArray([.. items.Cast<object>().Select(ToJson)]),
        _ => RecordToJson(value),
    };

    private static JsonObject RecordToJson(object record)
    {
        var json = new JsonObject();
        foreach (var property in ConfigTypeModel.For(record.GetType()).Properties)
        {
            if (property.Property.GetValue(record) is { } value && value is not false)
            {
                json[property.YamlName] = ToJson(value);
            }
        }

        return json;
    }
}
