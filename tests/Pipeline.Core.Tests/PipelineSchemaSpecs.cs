using System.Reflection;
using System.Text.Json;
using Pipeline.Configuration;

namespace Pipeline.Core.Tests;

public sealed class PipelineSchemaSpecs
{
    private const string UpdateVariable = "UPDATE_SCHEMA";

    [Fact]
    public void I_can_trust_the_committed_schema_to_match_the_option_records_and_get_told_how_to_regenerate_it()
    {
        // Arrange
        var path = Path.Combine(ConfigFiles.RepositoryRoot(), PipelineSchema.FileName);
        var generated = PipelineSchema.Generate();
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, generated);
            File.Move(temporary, path, overwrite: true);
        }

        // Act
        var committed = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : "";

        // Assert
        Assert.True(
            committed == generated,
            $"{PipelineSchema.FileName} is stale: the option records in src/Pipeline.Core/Configuration changed. "
            + $"Regenerate it with `{UpdateVariable}=1 dotnet test tests/Pipeline.Core.Tests` and commit it.");
    }

    [Fact]
    public void I_can_generate_a_draft_07_schema_with_types_ranges_enums_and_closed_sections()
    {
        // Act
        using var schema = JsonDocument.Parse(PipelineSchema.Generate());

        // Assert
        var root = schema.RootElement;
        Assert.Equal("http://json-schema.org/draft-07/schema#", root.GetProperty("$schema").GetString());
        Assert.False(root.GetProperty("additionalProperties").GetBoolean());
        var train = root.GetProperty("properties").GetProperty("train");
        Assert.False(train.GetProperty("additionalProperties").GetBoolean());
        var learningRate = train.GetProperty("properties").GetProperty("learning_rate");
        Assert.Equal("Peak AdamW learning rate of the encoder (or adapters). Default 0.002; must be > 0.", learningRate.GetProperty("description").GetString());
        Assert.Equal(0.002, learningRate.GetProperty("default").GetDouble());
        var number = learningRate.GetProperty("anyOf")[0];
        Assert.Equal("number", number.GetProperty("type").GetString());
        Assert.Equal(0, number.GetProperty("exclusiveMinimum").GetDouble());
        var technique = train.GetProperty("properties").GetProperty("technique").GetProperty("anyOf")[0];
        Assert.Equal(["head", "full", "lora", "lp-ft", "partial"], technique.GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        var gate = root.GetProperty("properties").GetProperty("evaluate").GetProperty("properties").GetProperty("gates").GetProperty("items");
        Assert.Equal(3, gate.GetProperty("oneOf").GetArrayLength());
        Assert.Equal("metric", gate.GetProperty("required")[0].GetString());
    }

    [Fact]
    public void I_can_rely_on_every_option_having_a_description_for_editors()
    {
        // Arrange
        var types = typeof(PipelineOptions).Assembly.GetTypes()
            .Where(t => t.Namespace == "Pipeline.Configuration" && t.Name.EndsWith("Options", StringComparison.Ordinal));

        // Act
        var undocumented = types
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.Name != "EqualityContract"))
            .Where(p => p.GetCustomAttribute<ConfigDescriptionAttribute>() is null)
            .Select(p => $"{p.DeclaringType!.Name}.{p.Name}")
            .ToList();

        // Assert
        Assert.Empty(undocumented);
    }

    [Fact]
    public void I_can_open_pipeline_yaml_in_an_editor_that_finds_the_schema_from_its_first_line()
    {
        // Act
        var firstLine = File.ReadLines(Path.Combine(ConfigFiles.RepositoryRoot(), "pipeline.yaml")).First();

        // Assert
        Assert.Equal($"# yaml-language-server: $schema=./{PipelineSchema.FileName}", firstLine);
    }
}
