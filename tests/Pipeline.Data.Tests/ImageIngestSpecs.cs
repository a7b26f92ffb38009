using System.Text.Json;
using Pipeline.Data.Images;
using Pipeline.Data.Ingest;
using Pipeline.Data.Sources;
using SkiaSharp;

namespace Pipeline.Data.Tests;

public sealed class ImageIngestSpecs : IDisposable
{
    private readonly TempRepo _repo = new();

    public void Dispose() => _repo.Dispose();

    private List<JsonElement> Lines(string file) =>
        [.. _repo.ReadLines("ingest/" + file).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    [Fact]
    public async Task I_can_ingest_an_image_folder_and_get_corrupt_images_as_rejects_with_their_reason_and_nothing_lost()
    {
        // Arrange
        var png = TestImages.Encode(TestImages.Blocks(1));
        _repo.Write("data/images/cat/a.png", png);
        _repo.Write("data/images/cat/b.jpg", TestImages.Encode(TestImages.Blocks(2), SKEncodedImageFormat.Jpeg, 90));
        _repo.Write("data/images/dog/c.jpeg", TestImages.Encode(TestImages.Blocks(3), SKEncodedImageFormat.Jpeg, 90));
        _repo.Write("data/images/dog/truncated.png", png[..(png.Length / 2)]);
        _repo.Write("data/images/dog/garbage.png", "this is not a png"u8.ToArray());
        _repo.Write("data/images/dog/empty.jpg", []);
        _repo.Write("data/images/dog/notes.txt", "a note");

        // Act
        var summary = await _repo.IngestAsync(new SourceSpec { Path = "data/images", Format = SourceFormat.ImageFolder });

        // Assert
        Assert.Equal("image", summary.Modality);
        Assert.Equal((7, 3, 4), (summary.RowsIn, summary.Accepted, summary.Rejected));
        var records = Lines(Ingestor.RecordsFile);
        Assert.Equal(["cat", "cat", "dog"], records.Select(r => r.GetProperty("labels")[0].GetString()));
        Assert.Equal(["cat/a.png", "cat/b.jpg", "dog/c.jpeg"], records.Select(r => r.GetProperty("id").GetString()));
        Assert.All(records, r => Assert.True(File.Exists(r.GetProperty("image").GetString())));
        Assert.Equal("data/images/cat/a.png", records[0].GetProperty("source").GetString());
        var rejects = Lines(Ingestor.RejectsFile).ToDictionary(r => r.GetProperty("source").GetString()!, r => r);
        Assert.Equal("invalid_image", rejects["data/images/dog/truncated.png"].GetProperty("reason").GetString());
        Assert.Contains("truncated", rejects["data/images/dog/truncated.png"].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("image", rejects["data/images/dog/truncated.png"].GetProperty("field").GetString());
        Assert.Equal("invalid_image", rejects["data/images/dog/garbage.png"].GetProperty("reason").GetString());
        Assert.Equal("empty_file", rejects["data/images/dog/empty.jpg"].GetProperty("reason").GetString());
        Assert.Equal("unknown_format", rejects["data/images/dog/notes.txt"].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task I_can_ingest_an_image_folder_or_an_image_glob_with_format_auto()
    {
        // Arrange
        _repo.Write("data/images/cat/a.png", TestImages.Encode(TestImages.Blocks(1)));
        _repo.Write("data/images/dog/b.webp", TestImages.Encode(TestImages.Blocks(2), SKEncodedImageFormat.Webp));

        // Act
        var folder = await _repo.IngestAsync(new SourceSpec { Path = "data/images" });
        var glob = await _repo.IngestAsync(new SourceSpec { Path = "data/images/*/*" });

        // Assert
        Assert.Equal(("image", 2L), (folder.Modality, folder.Accepted));
        Assert.Equal(("image", 2L), (glob.Modality, glob.Accepted));
        Assert.Equal(["cat", "dog"], Lines(Ingestor.RecordsFile).Select(r => r.GetProperty("labels")[0].GetString()));
    }

    [Fact]
    public async Task I_get_a_clear_error_when_the_sources_mix_images_and_texts()
    {
        // Arrange
        _repo.Write("data/images/cat/a.png", TestImages.Encode(TestImages.Blocks(1)));
        _repo.Write("data/texts.jsonl", "{\"text\":\"hello there\",\"label\":\"greeting\"}\n");

        // Act
        var error = await Assert.ThrowsAsync<DataException>(() => _repo.IngestAsync(
            new SourceSpec { Path = "data/images", Format = SourceFormat.ImageFolder },
            new SourceSpec { Path = "data/texts.jsonl" }));

        // Assert
        Assert.Contains("mix images", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task I_can_ingest_an_idx_pair_gzipped_or_raw_with_label_names_and_get_each_image_back_as_png(bool gzip)
    {
        // Arrange: five 3 × 4 images, classes 0..2.
        var images = Enumerable.Range(0, 5).Select(i => Enumerable.Range(0, 12).Select(p => (byte)((i * 40) + p)).ToArray()).ToList();
        byte[] classes = [2, 0, 1, 1, 0];
        var suffix = gzip ? ".gz" : "";
        _repo.Write("data/idx/train-images-idx3-ubyte" + suffix, TestImages.IdxImages(images, 3, 4, gzip));
        _repo.Write("data/idx/train-labels-idx1-ubyte" + suffix, TestImages.IdxLabels(classes, gzip));

        // Act
        var summary = await _repo.IngestAsync(new SourceSpec { Path = "data/idx/*-images-*", LabelNames = ["zero", "one", "two"] });

        // Assert
        Assert.Equal(("image", 5L, 0L), (summary.Modality, summary.Accepted, summary.Rejected));
        var records = Lines(Ingestor.RecordsFile);
        Assert.Equal(["two", "zero", "one", "one", "zero"], records.Select(r => r.GetProperty("labels")[0].GetString()));
        Assert.Equal($"data/idx/train-images-idx3-ubyte{suffix}#3", records[3].GetProperty("id").GetString());
        Assert.Equal(4, records[3].GetProperty("line").GetInt64());
        for (var i = 0; i < 5; i++)
        {
            var image = records[i].GetProperty("image").GetString()!;
            Assert.False(Path.IsPathRooted(image));
            var decoded = ImageDecoder.DecodeFile(Path.Combine(_repo.Artifacts, "ingest", image));
            Assert.Equal((3, 4), (decoded.Height, decoded.Width));
            Assert.Equal(images[i], decoded.Pixels.Where((_, at) => at % 3 == 0).ToArray());
        }
    }

    [Fact]
    public async Task I_can_name_the_idx_labels_file_and_get_class_numbers_as_labels_without_label_names()
    {
        // Arrange
        _repo.Write("data/digits.idx3", TestImages.IdxImages([new byte[4], new byte[4]], 2, 2, gzip: false));
        _repo.Write("data/digit-classes.idx1", TestImages.IdxLabels([7, 3], gzip: true));

        // Act
        var summary = await _repo.IngestAsync(new SourceSpec { Path = "data/digits.idx3", Format = SourceFormat.Idx, LabelsFile = "digit-classes.idx1" });

        // Assert
        Assert.Equal(2, summary.Accepted);
        Assert.Equal(["7", "3"], Lines(Ingestor.RecordsFile).Select(r => r.GetProperty("labels")[0].GetString()));
    }

    [Fact]
    public async Task I_get_a_clear_error_for_a_truncated_idx_file_a_count_mismatch_or_a_missing_labels_file()
    {
        // Arrange
        var images = TestImages.IdxImages([new byte[4], new byte[4], new byte[4]], 2, 2, gzip: false);
        _repo.Write("data/a/x-images-idx3-ubyte", images[..^3]);
        _repo.Write("data/a/x-labels-idx1-ubyte", TestImages.IdxLabels([1, 2, 3], gzip: false));
        _repo.Write("data/b/y-images-idx3-ubyte", images);
        _repo.Write("data/b/y-labels-idx1-ubyte", TestImages.IdxLabels([1, 2], gzip: false));
        _repo.Write("data/c/z-images-idx3-ubyte", images);

        // Act
        var truncated = await Assert.ThrowsAsync<DataException>(() => _repo.IngestAsync(new SourceSpec { Path = "data/a/*-images-*" }));
        var mismatch = await Assert.ThrowsAsync<DataException>(() => _repo.IngestAsync(new SourceSpec { Path = "data/b/*-images-*" }));
        var missing = await Assert.ThrowsAsync<DataException>(() => _repo.IngestAsync(new SourceSpec { Path = "data/c/*-images-*" }));

        // Assert
        Assert.Contains("data/a/x-images-idx3-ubyte", truncated.Message, StringComparison.Ordinal);
        Assert.Contains("ends after 2 of the 3 images", truncated.Message, StringComparison.Ordinal);
        Assert.Contains("holds 3 images but its labels file 'y-labels-idx1-ubyte' holds 2 labels", mismatch.Message, StringComparison.Ordinal);
        Assert.Contains("labels_file", missing.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_repo.Artifacts, "ingest")));
    }
}
