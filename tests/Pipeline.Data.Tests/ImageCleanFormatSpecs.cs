using System.Text.Json;
using Pipeline.Configuration;
using Pipeline.Data.Cleaning;
using Pipeline.Data.Formatting;
using Pipeline.Data.Images;
using Pipeline.Data.Sources;
using SkiaSharp;

namespace Pipeline.Data.Tests;

public sealed class ImageCleanFormatSpecs : IDisposable
{
    private static readonly string[] Copies = ["a.png", "b.png", "c.jpg"];
    private readonly TempRepo _repo = new();

    public void Dispose() => _repo.Dispose();

    private static FormatOptions Size(int resize) => new() { Image = new ImageFormatOptions { Resize = resize } };

    private List<JsonElement> Lines(string file) =>
        [.. _repo.ReadLines(file).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    private Dictionary<string, (Split Split, long RowId, int Label, byte[] Pixels)> ReadShards()
    {
        var result = new Dictionary<string, (Split, long, int, byte[])>(StringComparer.Ordinal);
        foreach (var split in Enum.GetValues<Split>())
        {
            using var shard = new ImageShardReader(Path.Combine(_repo.Artifacts, "format", ImageShardFormat.FileName(split)));
            for (var i = 0; i < shard.Count; i++)
            {
                result.Add(shard.GetSource(i), (split, shard.GetRowId(i), shard.GetLabel(i, 0), shard.GetPixels(i)));
            }
        }

        return result;
    }

    [Fact]
    public async Task I_can_clean_images_and_get_identical_pixels_removed_as_duplicates_and_conflicting_labels_resolved()
    {
        // Arrange: b.bmp is a.png's pixels in another format; the same picture under 'dog' is a conflict the majority settles.
        var picture = TestImages.Blocks(1);
        _repo.Write("data/images/cat/a.png", TestImages.Encode(picture));
        _repo.Write("data/images/cat/b.webp", TestImages.Encode(picture, SKEncodedImageFormat.Webp));
        _repo.Write("data/images/dog/c.png", TestImages.Encode(picture));
        _repo.Write("data/images/dog/d.png", TestImages.Encode(TestImages.Blocks(2)));
        await _repo.IngestAsync(new SourceSpec { Path = "data/images", Format = SourceFormat.ImageFolder });

        // Act
        var summary = _repo.Clean();

        // Assert
        Assert.Equal("image", summary.Modality);
        Assert.Equal((4L, 2L, 2L), (summary.RowsIn, summary.RowsOut, summary.Removed));
        Assert.Equal(1, summary.RemovedByReason["exact_duplicate"]);
        Assert.Equal(1, summary.RemovedByReason["conflict_minority"]);
        Assert.Equal(1, summary.ConflictingTexts);
        var removed = Lines("clean/removed.jsonl").ToDictionary(r => r.GetProperty("source").GetString()!, r => r);
        Assert.Equal("exact_duplicate", removed["data/images/cat/b.webp"].GetProperty("reason").GetString());
        Assert.Equal("conflict_minority", removed["data/images/dog/c.png"].GetProperty("reason").GetString());
        var kept = Lines("clean/records.jsonl");
        Assert.Equal(["data/images/cat/a.png", "data/images/dog/d.png"], kept.Select(r => r.GetProperty("source").GetString()));
        Assert.All(kept, r => Assert.True(Path.IsPathRooted(r.GetProperty("image").GetString())));
        Assert.Throws<LabelConflictException>(() => _repo.Clean(new CleanOptions { Conflicts = LabelConflictPolicy.Fail }));
    }

    [Fact]
    public async Task I_can_count_on_near_duplicate_images_landing_in_the_same_split()
    {
        // Arrange: 60 pictures, each with a slightly altered copy (a brightened corner) and a JPEG re-encoding.
        for (var i = 0; i < 60; i++)
        {
            var picture = TestImages.Blocks(100 + i);
            var label = i % 3 == 0 ? "cat" : "dog";
            _repo.Write($"data/images/{label}/{i:D2}-a.png", TestImages.Encode(picture));
            _repo.Write($"data/images/{label}/{i:D2}-b.png", TestImages.Encode(TestImages.Altered(picture)));
            _repo.Write($"data/images/{label}/{i:D2}-c.jpg", TestImages.Encode(picture, SKEncodedImageFormat.Jpeg, 90));
        }

        await _repo.IngestAsync(new SourceSpec { Path = "data/images", Format = SourceFormat.ImageFolder });

        // Act
        var clean = _repo.Clean();
        var format = _repo.Format(new SplitOptions { Validation = 0.2, Test = 0.2 }, Size(16));

        // Assert
        Assert.Equal((180L, 180L), (clean.RowsIn, clean.RowsOut));
        Assert.Equal((60L, 180L), (clean.NearDuplicateClustersKept, clean.NearDuplicateRowsKept));
        var rows = ReadShards();
        Assert.Equal(180, rows.Count);
        for (var i = 0; i < 60; i++)
        {
            var label = i % 3 == 0 ? "cat" : "dog";
            var splits = Copies.Select(s => rows[$"data/images/{label}/{i:D2}-{s}"].Split).Distinct().ToList();
            Assert.Single(splits);
        }

        Assert.True(rows.Values.Select(r => r.Split).Distinct().Count() == 3, "60 clusters spread over the three splits");
        Assert.True(format.LeakagePrevented > 0, "some copies' own keys would have put them in another split");
    }

    [Fact]
    public async Task I_can_keep_apart_pictures_whose_difference_hashes_match_but_whose_pixels_do_not()
    {
        // Arrange: a falling gradient, the same at half contrast (the same dHash: every left cell is brighter) and a JPEG copy.
        RgbImage Gradient(double contrast) => new(
            [.. Enumerable.Range(0, 48 * 48).SelectMany(p => Enumerable.Repeat((byte)(255 - (p % 48 * 5 * contrast)), 3))], 48, 48);
        var full = Gradient(1);
        _repo.Write("data/images/sky/full.png", TestImages.Encode(full));
        _repo.Write("data/images/sky/half.png", TestImages.Encode(Gradient(0.5)));
        _repo.Write("data/images/sky/full-copy.jpg", TestImages.Encode(full, SKEncodedImageFormat.Jpeg, 80));
        await _repo.IngestAsync(new SourceSpec { Path = "data/images", Format = SourceFormat.ImageFolder });

        // Act
        var summary = _repo.Clean();

        // Assert
        Assert.Equal(ImageHashes.Difference(full), ImageHashes.Difference(Gradient(0.5)));
        Assert.Equal((1L, 2L), (summary.NearDuplicateClustersKept, summary.NearDuplicateRowsKept));
        var groups = Lines("clean/records.jsonl").ToDictionary(r => r.GetProperty("source").GetString()!, r => r.GetProperty("group").GetInt64());
        Assert.Equal(groups["data/images/sky/full.png"], groups["data/images/sky/full-copy.jpg"]);
        Assert.NotEqual(groups["data/images/sky/full.png"], groups["data/images/sky/half.png"]);
    }

    [Fact]
    public async Task I_can_trust_clean_to_notice_an_image_that_changed_since_ingest_and_ingest_to_record_each_file_fingerprint()
    {
        // Arrange
        var a = _repo.Write("data/images/cat/a.png", TestImages.Encode(TestImages.Blocks(1)));
        _repo.Write("data/images/cat/b.png", TestImages.Encode(TestImages.Blocks(2)));
        await _repo.IngestAsync(new SourceSpec { Path = "data/images", Format = SourceFormat.ImageFolder });
        var hashes = Lines("ingest/records.jsonl").Select(r => r.GetProperty("image_hash").GetString()).ToList();
        File.WriteAllBytes(a, TestImages.Encode(TestImages.Blocks(3)));

        // Act
        var summary = _repo.Clean();

        // Assert
        Assert.Equal(2, hashes.Distinct().Count());
        Assert.Equal((1L, 1L), (summary.RowsOut, summary.RemovedByReason["unreadable_file"]));
        var removed = Assert.Single(Lines("clean/removed.jsonl"));
        Assert.Contains("changed since Ingest", removed.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(hashes[1], Assert.Single(Lines("clean/records.jsonl")).GetProperty("image_hash").GetString());
    }

    [Fact]
    public async Task I_can_read_back_from_the_image_shards_the_pixels_labels_and_sources_format_wrote()
    {
        // Arrange
        var files = new List<(string Path, string Label)>();
        for (var i = 0; i < 12; i++)
        {
            var label = i % 2 == 0 ? "cat" : "dog";
            var relative = $"data/images/{label}/{i:D2}.png";
            _repo.Write(relative, TestImages.Encode(TestImages.Blocks(200 + i, size: 40 + i)));
            files.Add((relative, label));
        }

        await _repo.IngestAsync(new SourceSpec { Path = "data/images", Format = SourceFormat.ImageFolder });
        _repo.Clean();

        // Act
        var summary = _repo.Format(format: Size(24));

        // Assert
        Assert.Equal(12, summary.RowsIn);
        var labels = Formatter.ReadLabels(Path.Combine(_repo.Artifacts, "format"));
        Assert.Equal(["cat", "dog"], labels.Tasks["label"]);
        var rows = ReadShards();
        Assert.Equal(12, rows.Count);
        foreach (var (path, label) in files)
        {
            var row = rows[path];
            Assert.Equal(ImagePreparation.PrepareFile(Path.Combine(_repo.Root, path), 24).Pixels, row.Pixels);
            Assert.Equal(labels.IdOf("label", label), row.Label);
        }

        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(_repo.Artifacts, "format", Formatter.ManifestFile)));
        Assert.Equal("image", manifest.RootElement.GetProperty("modality").GetString());
        Assert.Equal(24, manifest.RootElement.GetProperty("image").GetProperty("resize").GetInt32());
        Assert.Equal(["label"], manifest.RootElement.GetProperty("tasks").EnumerateArray().Select(t => t.GetString()));
        using var train = new ImageShardReader(Path.Combine(_repo.Artifacts, "format", "train.images"));
        Assert.Equal((24, 3, 24 * 24 * 3), (train.Resize, train.Channels, train.RowBytes));
        Assert.Equal(summary.Splits["train"].Rows, train.Count);
    }

    [Fact]
    public void I_get_a_clear_error_when_an_image_shard_is_truncated_or_not_a_shard()
    {
        // Arrange
        var path = Path.Combine(_repo.Root, "x.images");
        using (var writer = new ImageShardWriter(path, 1, 2))
        {
            writer.Append(new byte[12], [0], 42, "a.png");
            writer.Append(new byte[12], [1], 43, "b.png");
            writer.Complete();
        }

        var bytes = File.ReadAllBytes(path);
        var cut = _repo.Write("cut.images", bytes[..^10]);
        var text = _repo.Write("text.images", new byte[200]);

        // Act
        var truncated = Assert.Throws<DataException>(() => new ImageShardReader(cut));
        var wrong = Assert.Throws<DataException>(() => new ImageShardReader(text));
        using var reader = new ImageShardReader(path);

        // Assert
        Assert.Contains("truncated", truncated.Message, StringComparison.Ordinal);
        Assert.Contains("not a version-1 image shard", wrong.Message, StringComparison.Ordinal);
        Assert.Equal(("b.png", 43L, 1), (reader.GetSource(1), reader.GetRowId(1), reader.GetLabel(1)));
    }
}
