namespace Pipeline.Data.Cleaning;

/// <summary>What Clean did, written to <c>artifacts/clean/summary.json</c>. <c>RowsIn = RowsOut + Removed</c>.</summary>
public sealed record CleanSummary
{
    /// <summary>The task names, in the order of each record's labels.</summary>
    public required IReadOnlyList<string> Tasks { get; init; }

    /// <summary>What the rows are: <see cref="Model.DataModality.Text"/> (the default) or <see cref="Model.DataModality.Image"/>.</summary>
    public string Modality { get; init; } = Model.DataModality.Text;

    /// <summary>Rows read from Ingest's records.</summary>
    public long RowsIn { get; init; }

    /// <summary>Rows written to <c>records.jsonl</c>.</summary>
    public long RowsOut { get; init; }

    /// <summary>Rows written to <c>removed.jsonl</c>.</summary>
    public long Removed { get; init; }

    /// <summary>Removed rows per reason.</summary>
    public required IReadOnlyDictionary<string, long> RemovedByReason { get; init; }

    /// <summary>Texts seen with more than one label set.</summary>
    public long ConflictingTexts { get; init; }

    /// <summary>Near-duplicate clusters kept whole because their members disagree on the label: Format puts each in one split.</summary>
    public long NearDuplicateClustersKept { get; init; }

    /// <summary>Rows kept that belong to such a cluster.</summary>
    public long NearDuplicateRowsKept { get; init; }

    /// <summary>Kept rows per label, per task.</summary>
    public required IReadOnlyDictionary<string, SortedDictionary<string, long>> LabelCounts { get; init; }

    /// <summary>Character lengths of the kept texts.</summary>
    public required LengthStats Lengths { get; init; }
}
