namespace Pipeline.Data.Formatting;

/// <summary>
/// The binary image shard layout (version 1, little-endian), one file per split, memory-mappable:
/// <code>
/// offset  size  field
///      0     8  magic "PLIMAGE\0"
///      8     4  int32 version (1)
///     12     4  int32 task count T (label ids per row)
///     16     8  int64 row count N
///     24     4  int32 height H (format.image.resize)
///     28     4  int32 width W (format.image.resize)
///     32     4  int32 channels C (3: R, G, B)
///     36     4  reserved (0)
///     40     8  int64 pixels section offset (128): N × H × W × C bytes, row i at offset + i × H × W × C, HWC order
///     48     8  int64 labels section offset: N × T × int32 label ids (labels.json maps them)
///     56     8  int64 row ids section offset (8-aligned): N × int64 row ids (Clean's row_id)
///     64     8  int64 sources section offset (8-aligned): (N + 1) × int64 byte offsets into the UTF-8 text
///                 that follows them; row i's source is bytes [off[i], off[i+1])
///     72    56  reserved (0)
/// </code>
/// A row's source is where its image came from, for reports (thumbnails, misclassified examples):
/// the file relative to its root, and for IDX files <c>file#index</c>.
/// </summary>
public static class ImageShardFormat
{
    /// <summary>The magic bytes.</summary>
    public static ReadOnlySpan<byte> Magic => "PLIMAGE\0"u8;

    /// <summary>The version this library writes and reads.</summary>
    public const int Version = 1;

    /// <summary>The header's size in bytes (where the pixels start).</summary>
    public const int HeaderSize = 128;

    /// <summary>Channels per pixel.</summary>
    public const int Channels = 3;

    /// <summary>The shard file name of a split: <c>train.images</c>, <c>validation.images</c>, <c>test.images</c>.</summary>
    public static string FileName(Split split) => split.ToString().ToLowerInvariant() + ".images";
}
