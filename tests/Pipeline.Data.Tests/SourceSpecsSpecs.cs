using Pipeline.Configuration;
using Pipeline.Data.Sources;

namespace Pipeline.Data.Tests;

public sealed class SourceSpecsSpecs
{
    [Fact]
    public void I_can_map_pipeline_yaml_sources_including_multitask_label_fields()
    {
        // Arrange
        var data = new DataOptions
        {
            Sources =
            [
                new DataSourceOptions { Path = "data/*.csv", Format = DataFormat.Csv, Text = ["subject", "body"], Labels = new Dictionary<string, string> { ["urgency"] = "priority", ["intent"] = "intent" }, Id = "id", Delimiter = ';' },
            ],
        };

        // Act
        var spec = Assert.Single(SourceSpecs.From(data));

        // Assert
        Assert.Equal(SourceFormat.Csv, spec.Format);
        Assert.Equal(["intent", "urgency"], spec.Tasks);
        Assert.Equal(["intent", "priority"], spec.LabelFields);
        Assert.Equal((';', "id"), (spec.Delimiter!.Value, spec.IdField));
    }

    [Theory]
    [InlineData(DataFormat.Idx, "utf-8", "format 'Idx'")]
    [InlineData(DataFormat.Jsonl, "latin-1", "encoding 'latin-1'")]
    public void I_can_get_an_error_for_a_format_or_encoding_the_data_stages_do_not_read(DataFormat format, string encoding, string expected)
    {
        // Arrange
        var data = new DataOptions { Sources = [new DataSourceOptions { Path = "data/x", Format = format, Encoding = encoding }] };

        // Act
        var error = Assert.Throws<DataException>(() => SourceSpecs.From(data));

        // Assert
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
