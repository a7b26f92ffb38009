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
    public static void Read(ResolvedFile folder, IRecordSink sink, CancellationToken cancellationToken) =>
        LabelFolders.Walk(folder, sink, "<folder>/<label>/*.png", file =>
        {
            if (!ImageDecoder.HasImageExtension(file.Path))
            {
                var where = file.MatchedByGlob
                    ? "by an image_folder source. Narrow its glob or remove the file."
                    : "in an image label folder. Remove the file or move it out of the data folder.";
                sink.Reject(new Reject(file.Display, null, null, RejectReasons.UnknownFormat, $"Only images ({string.Join(", ", ImageDecoder.ImageExtensions)}) are read {where}", null));
                return;
            }

            ReadFile(file.Path, file.Display, file.Id, file.Label, sink);
        }, cancellationToken);

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
