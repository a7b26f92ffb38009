using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;
using Pipeline.Data.Images;
using Pipeline.Data.Model;
using Pipeline.Data.Sources;

namespace Pipeline.Data.Ingest;

/// <summary>
/// Reads an IDX images file (MNIST-style <c>idx3-ubyte</c>: magic <c>00 00 08 03</c>, count, rows, columns,
/// then unsigned bytes; gzipped or raw) with its labels file (<c>idx1-ubyte</c>: <c>00 00 08 01</c>, count,
/// then one class number per image). Each image is written as a grey PNG into the Ingest output
/// (<c>images/&lt;file&gt;-&lt;hash&gt;/000123.png</c>, inside the stage's staging folder, so it appears atomically
/// with <c>records.jsonl</c>), and becomes a record whose id is <c>&lt;file&gt;#&lt;index&gt;</c> and whose line is the 1-based index.
/// </summary>
internal static class IdxReader
{
    /// <summary>The folder, inside Ingest's output, that holds the extracted images.</summary>
    public const string ImagesFolder = "images";

    private const int ImagesMagic = 0x0803, LabelsMagic = 0x0801;

    public static void Read(ResolvedFile file, IRecordSink sink, string outputDirectory, CancellationToken cancellationToken)
    {
        var labelsPath = LabelsPath(file);
        var labels = ReadLabels(labelsPath, file);
        using var images = Open(file.FullPath);
        var header = ReadHeader(images, file.FullPath, ImagesMagic, 3);
        var (count, rows, columns) = (header[0], header[1], header[2]);
        if (count != labels.Length)
        {
            throw new InvalidDataException($"the images file holds {count} images but its labels file '{Path.GetFileName(labelsPath)}' holds {labels.Length} labels; they must pair one to one");
        }

        var folderName = Path.GetFileName(file.FullPath).Replace(".gz", "", StringComparison.OrdinalIgnoreCase)
            + "-" + Convert.ToHexStringLower(XxHash32.Hash(Encoding.UTF8.GetBytes(file.DisplayPath)));
        var folder = Path.Combine(outputDirectory, ImagesFolder, folderName);
        Directory.CreateDirectory(folder);
        var names = file.Spec.LabelNames;
        var pixels = new byte[rows * columns];
        for (var i = 0; i < count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                images.ReadExactly(pixels);
            }
            catch (EndOfStreamException ex)
            {
                throw new InvalidDataException($"the file ends after {i} of the {count} images its header declares (truncated)", ex);
            }

            var number = labels[i];
            if (names is not null && number >= names.Count)
            {
                sink.Reject(new Reject(file.DisplayPath, i + 1, "label", RejectReasons.UnknownLabel, $"Class number {number} has no name: label_names lists {names.Count}. Add the missing names to the source's label_names.", null));
                continue;
            }

            var name = i.ToString("D6", CultureInfo.InvariantCulture) + ".png";
            var png = PngEncoder.EncodeGrey(pixels, rows, columns);
            File.WriteAllBytes(Path.Combine(folder, name), png);
            var label = names is null ? number.ToString(CultureInfo.InvariantCulture) : names[number];
            sink.Accept(new DataRecord(file.DisplayPath + "#" + i.ToString(CultureInfo.InvariantCulture), "", [label], file.DisplayPath, i + 1)
            {
                Image = ImagesFolder + "/" + folderName + "/" + name,
                ImageHash = ImageHashes.Encoded(png),
            });
        }
    }

    /// <summary>The labels file beside <paramref name="file"/>: <c>labels_file</c>, or the name with <c>images-idx3</c> turned into <c>labels-idx1</c>.</summary>
    internal static string LabelsPath(ResolvedFile file)
    {
        var imagesName = Path.GetFileName(file.FullPath);
        var name = file.Spec.LabelsFile ?? imagesName.Replace("images-idx3", "labels-idx1", StringComparison.Ordinal).Replace("images.idx3", "labels.idx1", StringComparison.Ordinal);
        if (string.Equals(name, imagesName, StringComparison.Ordinal))
        {
            throw new DataException($"'{file.DisplayPath}': cannot tell the IDX labels file from the name (no 'images-idx3' in it). Set labels_file: on the source in pipeline.yaml.");
        }

        if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) || name is "." or "..")
        {
            throw new DataException($"'{file.DisplayPath}': labels_file '{name}' must be a plain file name in the images file's folder.");
        }

        var folder = Path.GetDirectoryName(file.FullPath)!;
        var path = Path.Combine(folder, name);
        if (!File.Exists(path))
        {
            throw new DataException($"'{file.DisplayPath}': its IDX labels file '{name}' is not beside it. Put it there, or set labels_file: on the source in pipeline.yaml.");
        }

        if (!RealPath.IsInside(RealPath.Of(path), RealPath.Of(folder)))
        {
            throw new SourceAccessException($"'{file.DisplayPath}': its labels file '{name}' is a symlink out of its folder. Sources must stay inside their root.");
        }

        return path;
    }

    private static byte[] ReadLabels(string path, ResolvedFile images)
    {
        try
        {
            using var stream = Open(path);
            var count = ReadHeader(stream, path, LabelsMagic, 1)[0];
            var labels = new byte[count];
            stream.ReadExactly(labels);
            return labels;
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException($"its labels file '{Path.GetFileName(path)}' ends before the labels its header declares (truncated)", ex);
        }
        catch (InvalidDataException ex)
        {
            throw new DataException($"Cannot read the IDX labels file of '{images.DisplayPath}' ('{Path.GetFileName(path)}'): {ex.Message}.", ex);
        }
    }

    // The file, through gunzip when it starts with the gzip magic.
    private static Stream Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Span<byte> magic = stackalloc byte[2];
        var read = stream.Read(magic);
        stream.Position = 0;
        return read == 2 && magic[0] == 0x1F && magic[1] == 0x8B ? new GZipStream(stream, CompressionMode.Decompress) : stream;
    }

    private static int[] ReadHeader(Stream stream, string path, int expectedMagic, int dimensions)
    {
        Span<byte> head = stackalloc byte[4 + (4 * dimensions)];
        try
        {
            stream.ReadExactly(head);
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException($"'{Path.GetFileName(path)}' is shorter than an IDX header", ex);
        }

        var magic = BinaryPrimitives.ReadInt32BigEndian(head);
        if (magic != expectedMagic)
        {
            throw new InvalidDataException($"'{Path.GetFileName(path)}' starts with {magic:X8}, not the IDX magic {expectedMagic:X8} (unsigned bytes, {dimensions} dimension(s))");
        }

        var sizes = new int[dimensions];
        for (var d = 0; d < dimensions; d++)
        {
            sizes[d] = BinaryPrimitives.ReadInt32BigEndian(head[(4 + (4 * d))..]);
            if (sizes[d] < 0 || (d > 0 && sizes[d] == 0) || (d > 0 && sizes[d] > 65_536))
            {
                throw new InvalidDataException($"'{Path.GetFileName(path)}' declares an impossible size {sizes[d]} in dimension {d + 1}");
            }
        }

        return sizes;
    }
}
