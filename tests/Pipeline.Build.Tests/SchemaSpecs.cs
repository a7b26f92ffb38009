using System.Text.Json;

namespace Pipeline.Build.Tests;

public class SchemaSpecs
{
    public enum Flavor
    {
        Debug,
        Release,
    }

    private sealed class SchemaBuild : NukeBuild
    {
        [Parameter("Configuration to build")]
        public Flavor Configuration { get; init; }

        [Parameter("Epochs")]
        public int? Epochs { get; init; }

        [Parameter("Rate")]
        public double Rate { get; init; }

        [Parameter("Force")]
        public bool Force { get; init; }

        [Parameter("Sources")]
        public string[] Source { get; init; } = [];

        public Target Compile => _ => _.Executes(() => Output.WriteLine(Epochs));

        public Target Train => _ => _.DependsOn(Compile).Executes(() => { });
    }

    [Fact]
    public void I_can_get_a_draft_07_schema_of_parameters_json_from_the_declared_parameters()
    {
        // Arrange
        var build = new SchemaBuild();

        // Act
        var run = BuildHarness.Run(build, ["--plan", "Train"]);

        // Assert
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.RootDirectory, ".nuke", "build.schema.json")));
        var root = schema.RootElement;
        Assert.Equal("http://json-schema.org/draft-07/schema#", root.GetProperty("$schema").GetString());
        var properties = root.GetProperty("properties");
        Assert.Equal(["Debug", "Release"], properties.GetProperty("Configuration").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("Configuration to build", properties.GetProperty("Configuration").GetProperty("description").GetString());
        Assert.Equal("integer", properties.GetProperty("Epochs").GetProperty("type").GetString());
        Assert.Equal("number", properties.GetProperty("Rate").GetProperty("type").GetString());
        Assert.Equal("boolean", properties.GetProperty("Force").GetProperty("type").GetString());
        Assert.Equal("array", properties.GetProperty("Source").GetProperty("type").GetString());
        Assert.Equal(["Compile", "Train"], properties.GetProperty("Target").GetProperty("items").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["Compile", "Train"], properties.GetProperty("Skip").GetProperty("items").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void I_can_run_twice_and_the_unchanged_schema_is_not_rewritten()
    {
        // Arrange
        var first = BuildHarness.Run(new SchemaBuild(), ["--plan", "Train"]);
        var path = Path.Combine(first.RootDirectory, ".nuke", "build.schema.json");
        var stamp = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, stamp);

        // Act
        var exitCode = NukeBuild.Execute(new SchemaBuild(), ["--plan", "Train"], new Dictionary<string, string>(), first.RootDirectory, TextWriter.Null);

        // Assert
        Assert.Equal(0, exitCode);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(path));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));
    }
}
