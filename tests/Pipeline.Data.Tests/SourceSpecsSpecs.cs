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

    [Fact]
    public void I_can_map_image_folder_and_idx_sources_with_their_labels_file_and_label_names()
    {
        // Arrange
        var data = new DataOptions
        {
            Sources =
            [
                new DataSourceOptions { Path = "data/images", Format = DataFormat.ImageFolder },
                new DataSourceOptions { Path = "data/mnist/*-images-idx3-ubyte.gz", Format = DataFormat.Idx, LabelsFile = "classes.idx1", LabelNames = ["zero", "one"] },
            ],
        };

        // Act
        var specs = SourceSpecs.From(data);

        // Assert
        Assert.Equal([SourceFormat.ImageFolder, SourceFormat.Idx], specs.Select(s => s.Format));
        Assert.All(specs, s => Assert.Equal(["label"], s.Tasks));
        Assert.Equal("classes.idx1", specs[1].LabelsFile);
        Assert.Equal(["zero", "one"], specs[1].LabelNames!);
    }

    [Theory]
    [InlineData(DataFormat.Jsonl, "latin-1", "encoding 'latin-1'")]
    [InlineData(DataFormat.Csv, "utf-16", "encoding 'utf-16'")]
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
