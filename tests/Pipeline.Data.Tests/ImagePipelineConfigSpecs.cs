using Pipeline.Configuration;
using Pipeline.Data.Cleaning;
using Pipeline.Data.Formatting;
using Pipeline.Data.Ingest;
using Pipeline.Data.Reporting;
using Pipeline.Data.Sources;

namespace Pipeline.Data.Tests;

public sealed class ImagePipelineConfigSpecs : IDisposable
{
    private const string Yaml = """
        data:
          sources:
            - path: data/images
              format: image_folder
        clean:
          near_duplicates:
            image_distance: 3
            image_difference: 2.5
        format:
          image:
            resize: 20
        """;

    private readonly TempRepo _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task I_can_run_the_data_path_for_images_from_pipeline_yaml_and_get_a_report_whose_counts_add_up()
    {
        // Arrange
        var config = PipelineConfig.Parse(Yaml);
        for (var i = 0; i < 6; i++)
        {
            _repo.Write($"data/images/{(i % 2 == 0 ? "cat" : "dog")}/{i}.png", TestImages.Encode(TestImages.Blocks(300 + i)));
        }

        _repo.Write("data/images/dog/broken.png", [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);

        // Act
        var ingest = await Ingestor.RunAsync(new IngestOptions
        {
            RepositoryRoot = _repo.Root,
            Sources = SourceSpecs.From(config.Data),
            OutputDirectory = Path.Combine(_repo.Artifacts, "ingest"),
        });
        var clean = Cleaner.Run(Path.Combine(_repo.Artifacts, "ingest"), Path.Combine(_repo.Artifacts, "clean"), config.Clean, config.Data.Labels);
        var format = Formatter.Run(new FormatRequest
        {
            CleanDirectory = Path.Combine(_repo.Artifacts, "clean"),
            OutputDirectory = Path.Combine(_repo.Artifacts, "format"),
            Split = config.Split,
            Format = config.Format,
        });
        var report = DataReporter.Write(Path.Combine(_repo.Artifacts, "data"), ingest, clean, format);

        // Assert
        Assert.Equal((3, 2.5, 20), (config.Clean.NearDuplicates.ImageDistance, config.Clean.NearDuplicates.ImageDifference, config.Format.Image.Resize));
        Assert.Equal((7L, 6L, 0L, 1L), (report.RowsIn, report.RowsOut, report.Removed, report.Rejected));
        using var train = new ImageShardReader(Path.Combine(_repo.Artifacts, "format", "train.images"));
        Assert.Equal(20, train.Resize);
        var markdown = File.ReadAllText(Path.Combine(_repo.Artifacts, "data", "report.md"));
        Assert.Contains("invalid_image", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("Tokens (", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void I_can_declare_an_idx_source_with_its_labels_file_and_label_names_in_pipeline_yaml()
    {
        // Arrange
        const string yaml = """
            data:
              sources:
                - path: "*-images-idx3-ubyte.gz"
                  format: idx
                  labels_file: t10k-labels-idx1-ubyte.gz
                  label_names: [T-shirt/top, Trouser]
            """;

        // Act
        var spec = Assert.Single(SourceSpecs.From(PipelineConfig.Parse(yaml).Data));

        // Assert
        Assert.Equal((SourceFormat.Idx, "t10k-labels-idx1-ubyte.gz"), (spec.Format, spec.LabelsFile));
        Assert.Equal(["T-shirt/top", "Trouser"], spec.LabelNames!);
    }
}
