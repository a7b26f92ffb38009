using Pipeline.Data.Images;
using Pipeline.Data.Model;
using Pipeline.Data.Sources;

namespace Pipeline.Data.Ingest;

/// <summary>
/// Reads <c>&lt;folder&gt;/&lt;label&gt;/*.png|*.jpg|…</c>: the label is the sub-folder's name, one image is one
/// record (line 1, empty text, <see cref="DataRecord.Image"/> the file's full path, id its path relative to
/// the folder). Every image is decoded once here, so that a corrupt or truncated one becomes a reject
/// (<see cref="RejectReasons.InvalidImage"/>) rather than a failure later. A glob that matches image files
/// (<c>data/images/*/*.png</c>) reads each with its parent folder's name as the label.
/// </summary>
internal static class ImageFolderReader
{
    public static void Read(ResolvedFile folder, IRecordSink sink, CancellationToken cancellationToken)
    {
        if (File.Exists(folder.FullPath))
        {
            var parent = Path.GetFileName(Path.GetDirectoryName(folder.FullPath)!);
            if (!ImageDecoder.HasImageExtension(folder.FullPath))
            {
                sink.Reject(new Reject(folder.DisplayPath, null, null, RejectReasons.UnknownFormat, $"Only images ({string.Join(", ", ImageDecoder.ImageExtensions)}) are read by an image_folder source. Narrow its glob or remove the file.", null));
                return;
            }

            ReadFile(folder.FullPath, folder.DisplayPath, parent + "/" + Path.GetFileName(folder.FullPath), parent, sink);
            return;
        }

        var labelDirs = Directory.EnumerateDirectories(folder.FullPath).Order(StringComparer.Ordinal).ToList();
        if (labelDirs.Count == 0)
        {
            sink.Reject(new Reject(folder.DisplayPath, null, null, RejectReasons.EmptyFile, "The folder has no label sub-folders. Lay it out as <folder>/<label>/*.png.", null));
            return;
        }

        foreach (var labelDir in labelDirs)
        {
            var label = Path.GetFileName(labelDir);
            foreach (var path in Directory.EnumerateFiles(labelDir).Order(StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var relative = Path.GetRelativePath(folder.FullPath, path).Replace('\\', '/');
                var display = folder.DisplayPath + "/" + relative;
                if (!ImageDecoder.HasImageExtension(path))
                {
                    sink.Reject(new Reject(display, null, null, RejectReasons.UnknownFormat, $"Only images ({string.Join(", ", ImageDecoder.ImageExtensions)}) are read in an image label folder. Remove the file or move it out of the data folder.", null));
                    continue;
                }

                ReadFile(path, display, relative, label, sink);
            }
        }
    }

    private static void ReadFile(string path, string display, string id, string label, IRecordSink sink)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            sink.Reject(new Reject(display, null, "image", RejectReasons.UnreadableFile, $"The file cannot be read: {ex.Message}", null));
            return;
        }

        if (bytes.Length == 0)
        {
            sink.Reject(new Reject(display, null, "image", RejectReasons.EmptyFile, "The file is empty.", null));
            return;
        }

        try
        {
            _ = ImageDecoder.Decode(bytes);
        }
        catch (ImageDecodeException ex)
        {
            sink.Reject(new Reject(display, null, "image", RejectReasons.InvalidImage, $"Cannot decode the image: {ex.Message} Re-export it as PNG or JPEG, or remove it.", null));
            return;
        }

        sink.Accept(new DataRecord(id, "", [label], display, 1) { Image = Path.GetFullPath(path), ImageHash = ImageHashes.Encoded(bytes) });
    }
}
