namespace Pipeline.Data.Formatting;

/// <summary>
/// The binary shard layout (version 1, little-endian), one file per split, memory-mappable:
/// <code>
/// offset  size  field
///      0     8  magic "PLSHARD\0"
///      8     4  int32 version (1)
///     12     4  int32 task count T (label ids per row)
///     16     8  int64 row count N
///     24     8  int64 token count K
///     32     8  int64 tokens section offset (64): K × int32 token ids, rows back to back
///     40     8  int64 offsets section offset (8-aligned): (N + 1) × int64, row i is tokens [off[i], off[i+1])
///     48     8  int64 labels section offset: N × T × int32 label ids (labels.json maps them)
///     56     8  int64 row ids section offset: N × int64 row ids (Clean's row_id: XxHash64 of the stable key)
/// </code>
/// Every row starts with [CLS] and ends with [SEP]; its attention mask is all ones over its
/// length. Padding (format.padding) is applied by the trainer when it batches rows.
/// </summary>
public static class ShardFormat
{
    /// <summary>The magic bytes.</summary>
    public static ReadOnlySpan<byte> Magic => "PLSHARD\0"u8;

    /// <summary>The version this library writes and reads.</summary>
    public const int Version = 1;

    /// <summary>The header's size in bytes.</summary>
    public const int HeaderSize = 64;

    /// <summary>The shard file name of a split: <c>train.shard</c>, <c>validation.shard</c>, <c>test.shard</c>.</summary>
    public static string FileName(Split split) => split.ToString().ToLowerInvariant() + ".shard";
}
