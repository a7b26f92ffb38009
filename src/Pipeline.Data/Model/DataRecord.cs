namespace Pipeline.Data.Model;

/// <summary>
/// One labeled text (or image) as it flows through Ingest and Clean, one JSON object per line:
/// <c>{"id":…,"text":…,"labels":[…],"source":…,"line":…,"row_id":…,"group":…}</c>; image rows also
/// carry <c>"image":…,"image_hash":…</c> (before <c>row_id</c>) and an empty text.
/// </summary>
/// <param name="Id">The source's stable id field, or null when the source has none.</param>
/// <param name="Text">The text (text fields joined with a newline; for mails the subject, a newline, the body).</param>
/// <param name="Labels">One label per task, in the order of <c>IngestSummary.Tasks</c>.</param>
/// <param name="Source">The source file, relative to its root (the repository or a <c>--source</c> folder).</param>
/// <param name="Line">The 1-based line (row for CSV/Parquet, 1 for a file per record) where the record starts.</param>
public sealed record DataRecord(string? Id, string Text, IReadOnlyList<string> Labels, string Source, long Line)
{
    /// <summary>Set by Clean: XxHash64 of the stable key (the id, or the normalised text when there is no id).</summary>
    public long RowId { get; init; }

    /// <summary>Set by Clean: the <see cref="RowId"/> of the near-duplicate cluster's representative (its own id when alone); splits hash it.</summary>
    public long Group { get; init; }

    /// <summary>
    /// Image rows only (null for text): the encoded image file. Ingest writes it relative to its own output
    /// folder for images it extracted (IDX: <c>images/…/000123.png</c>) and as a full path for image files
    /// read in place; Clean writes full paths, so Format opens them as they are.
    /// </summary>
    public string? Image { get; init; }

    /// <summary>
    /// Image rows only: XxHash128 (hex) of the encoded file as Ingest read it. The records then change when an
    /// image's bytes change under the same path, so incremental runs rerun Clean and Format; Clean checks it.
    /// </summary>
    public string? ImageHash { get; init; }
}
