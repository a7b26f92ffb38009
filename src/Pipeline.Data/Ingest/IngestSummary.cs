namespace Pipeline.Data.Ingest;

/// <summary>What Ingest did, written to <c>artifacts/ingest/summary.json</c>. <c>RowsIn = Accepted + Rejected</c>.</summary>
public sealed record IngestSummary
{
    /// <summary>The task names, in the order of each record's labels.</summary>
    public required IReadOnlyList<string> Tasks { get; init; }

    /// <summary>What the rows are: <see cref="Model.DataModality.Text"/> (the default, also for summaries written before images) or <see cref="Model.DataModality.Image"/>.</summary>
    public string Modality { get; init; } = Model.DataModality.Text;

    /// <summary>The files (or label folders) read, relative to their roots.</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>Records seen: accepted plus rejected (an empty file counts as one rejected record).</summary>
    public long RowsIn { get; init; }

    /// <summary>Records written to <c>records.jsonl</c>.</summary>
    public long Accepted { get; init; }

    /// <summary>Records written to <c>rejects.jsonl</c>.</summary>
    public long Rejected { get; init; }

    /// <summary>Rejects per reason.</summary>
    public required IReadOnlyDictionary<string, long> RejectsByReason { get; init; }
}
