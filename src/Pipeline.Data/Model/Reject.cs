namespace Pipeline.Data.Model;

/// <summary>
/// A record Ingest could not use, or a row Clean removed, written as one JSON object per line
/// to <c>artifacts/ingest/rejects.jsonl</c> or <c>artifacts/clean/removed.jsonl</c>.
/// </summary>
/// <param name="Source">The source file, relative to its root.</param>
/// <param name="Line">The 1-based line or row, or null when the whole file is concerned.</param>
/// <param name="Field">The field at fault, or null.</param>
/// <param name="Reason">One of <see cref="RejectReasons"/>.</param>
/// <param name="Detail">A human-readable explanation.</param>
/// <param name="Excerpt">The first 200 characters of the raw input, or null.</param>
public sealed record Reject(string Source, long? Line, string? Field, string Reason, string Detail, string? Excerpt)
{
    /// <summary>For Clean's duplicates: the id (or row id) of the row that was kept.</summary>
    public string? DuplicateOf { get; init; }

    /// <summary>For Clean's removed rows: the row's own row id (see <see cref="DataRecord.RowId"/>).</summary>
    public long? RowId { get; init; }

    /// <summary>The longest excerpt kept, in characters.</summary>
    public const int ExcerptLength = 200;

    /// <summary>Cuts <paramref name="raw"/> to <see cref="ExcerptLength"/> characters.</summary>
    public static string? Cut(string? raw) => raw is null || raw.Length <= ExcerptLength ? raw : raw[..ExcerptLength];
}
