using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Build.Internal;

/// <summary>
/// Writes <c>.nuke/build.schema.json</c> (JSON Schema draft-07) describing <c>parameters.json</c>,
/// so editors complete and check it. Written atomically and only when its content changes.
/// </summary>
internal static class SchemaWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Generate(TargetGraph graph, IReadOnlyList<BuildParameter> parameters)
    {
        var targetNames = new JsonArray([.. graph.Targets.Select(t => JsonValue.Create(t.Name))]);
        var properties = new JsonObject
        {
            ["$schema"] = new JsonObject { ["type"] = "string" },
            ["Target"] = TargetList("Targets to run.", targetNames),
            ["Skip"] = TargetList("Targets to skip.", targetNames.DeepClone()),
        };
        foreach (var parameter in parameters)
        {
            var schema = TypeSchema(parameter.Type);
            schema["description"] = parameter.IsSecret ? $"{parameter.Description} (secret: pass it through the environment, not this file)" : parameter.Description;
            properties[parameter.Name] = schema;
        }

        var root = new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-07/schema#",
            ["title"] = "Build Schema",
            ["type"] = "object",
            ["properties"] = properties,
        };
        return root.ToJsonString(Indented).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }

    /// <summary>Writes the schema under <paramref name="rootDirectory"/>/.nuke unless it is already up to date.</summary>
    public static void Write(string rootDirectory, string content)
    {
        var directory = Path.Combine(rootDirectory, ".nuke");
        var path = Path.Combine(directory, "build.schema.json");
        if (File.Exists(path) && File.ReadAllText(path) == content)
        {
            return;
        }

        Directory.CreateDirectory(directory);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        File.Move(temporary, path, overwrite: true);
    }

    private static JsonObject TargetList(string description, JsonNode names) => new()
    {
        ["type"] = "array",
        ["description"] = description,
        ["items"] = new JsonObject { ["type"] = "string", ["enum"] = names },
    };

    private static JsonObject TypeSchema(Type type)
    {
        if (type.IsArray)
        {
            return new JsonObject { ["type"] = "array", ["items"] = TypeSchema(type.GetElementType()!) };
        }

        var inner = Nullable.GetUnderlyingType(type) ?? type;
        if (inner.IsEnum)
        {
            return new JsonObject
            {
                ["type"] = "string",
                ["enum"] = new JsonArray([.. Enum.GetNames(inner).Select(n => JsonValue.Create(n))]),
            };
        }

        var name = inner == typeof(int) || inner == typeof(long) ? "integer"
            : inner == typeof(double) ? "number"
            : inner == typeof(bool) ? "boolean"
            : "string";
        return new JsonObject { ["type"] = name };
    }
}
