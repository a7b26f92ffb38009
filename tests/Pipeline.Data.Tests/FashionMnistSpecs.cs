using System.Buffers.Binary;
using Pipeline.Configuration;
using Pipeline.Data.Formatting;
using Pipeline.Data.Images;
using Pipeline.Data.Sources;

namespace Pipeline.Data.Tests;

/// <summary>
/// The real Fashion-MNIST test set from the apt package <c>dataset-fashion-mnist</c> (installed by .ci/run),
/// cut to its first few hundred images so the specs stay fast; skipped, saying so, when it is not installed.
/// </summary>
public sealed class FashionMnistSpecs : IDisposable
{
    private const string Folder = "/usr/share/datasets/fashion-mnist";
    private const int Rows = 300;

    private static readonly string[] Names = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    private readonly TempRepo _repo = new();

    public void Dispose() => _repo.Dispose();

    private static void SkipUnlessInstalled() =>
        Skip.IfNot(
            File.Exists(Path.Combine(Folder, "t10k-images-idx3-ubyte.gz")) && File.Exists(Path.Combine(Folder, "t10k-labels-idx1-ubyte.gz")),
            $"Fashion-MNIST is not installed under {Folder}: run `apt-get install dataset-fashion-mnist` (as .ci/run does).");

    // The first Rows images and labels of the real t10k files, as a gzipped IDX pair in the test repository.
    private (byte[] Images, byte[] Labels) WriteHead()
    {
        var images = TestImages.Gunzip(Path.Combine(Folder, "t10k-images-idx3-ubyte.gz"));
        var labels = TestImages.Gunzip(Path.Combine(Folder, "t10k-labels-idx1-ubyte.gz"));
        var head = images[..(16 + (Rows * 28 * 28))];
        BinaryPrimitives.WriteInt32BigEndian(head.AsSpan(4), Rows);
        var labelHead = labels[..(8 + Rows)];
        BinaryPrimitives.WriteInt32BigEndian(labelHead.AsSpan(4), Rows);
        _repo.Write("data/fashion/t10k-images-idx3-ubyte.gz", TestImages.Gzip(head));
        _repo.Write("data/fashion/t10k-labels-idx1-ubyte.gz", TestImages.Gzip(labelHead));
        return (head[16..], labelHead[8..]);
    }

    [SkippableFact]
    public async Task I_can_ingest_clean_and_format_300_real_fashion_mnist_images_with_their_class_names()
    {
        // Arrange
        SkipUnlessInstalled();
        var (pixels, classes) = WriteHead();

        // Act
        var ingest = await _repo.IngestAsync(new SourceSpec { Path = "data/fashion/*-images-idx3-ubyte.gz", LabelNames = Names });
        var clean = _repo.Clean(new CleanOptions { LowercaseLabels = false });
        var format = _repo.Format(format: new FormatOptions { Image = new ImageFormatOptions { Resize = 28 } });

        // Assert
        Assert.Equal(("image", (long)Rows, 0L), (ingest.Modality, ingest.Accepted, ingest.Rejected));
        Assert.Equal(clean.RowsIn, clean.RowsOut + clean.Removed);
        Assert.Equal(10, clean.LabelCounts["label"].Count);
        Assert.Equal(clean.RowsOut, format.RowsIn);
        var labels = Formatter.ReadLabels(Path.Combine(_repo.Artifacts, "format"));
        Assert.Equal(Names.Order(StringComparer.Ordinal), labels.Tasks["label"]);
        var checkedRows = 0;
        foreach (var split in Enum.GetValues<Split>())
        {
            using var shard = new ImageShardReader(Path.Combine(_repo.Artifacts, "format", ImageShardFormat.FileName(split)));
            for (var i = 0; i < shard.Count; i++)
            {
                // At 28 the images pass through unchanged: grey expanded to three equal channels.
                var index = int.Parse(shard.GetSource(i).Split('#')[1], System.Globalization.CultureInfo.InvariantCulture);
                var expected = pixels.AsSpan(index * 784, 784).ToArray();
                var rgb = shard.GetPixels(i);
                Assert.Equal(expected, rgb.Where((_, at) => at % 3 == 0).ToArray());
                Assert.Equal(expected, rgb.Where((_, at) => at % 3 == 2).ToArray());
                Assert.Equal(labels.IdOf("label", Names[classes[index]]), shard.GetLabel(i));
                checkedRows++;
            }
        }

        Assert.Equal(clean.RowsOut, checkedRows);
    }

    [SkippableFact]
    public void I_can_prepare_a_real_fashion_mnist_image_at_224_for_the_network()
    {
        // Arrange
        SkipUnlessInstalled();
        var (pixels, _) = WriteHead();
        var png = PngEncoder.EncodeGrey(pixels.AsSpan(0, 784), 28, 28);

        // Act
        var prepared = ImagePreparation.Prepare(png, 224);

        // Assert
        Assert.Equal((224, 224), (prepared.Height, prepared.Width));
        Assert.True(prepared.Pixels.Chunk(3).All(p => p[0] == p[1] && p[1] == p[2]), "a grey image stays grey");
        // The centre of the enlarged image is close to the centre of the original (area average of a 2 × 2 patch).
        var centre = (pixels[(14 * 28) + 14] + pixels[(13 * 28) + 13] + pixels[(13 * 28) + 14] + pixels[(14 * 28) + 13]) / 4.0;
        Assert.InRange(prepared.Pixels[((112 * 224) + 112) * 3], centre - 40, centre + 40);
    }
}
