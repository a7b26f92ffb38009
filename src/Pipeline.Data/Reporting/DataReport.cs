using Pipeline.Data.Cleaning;
using Pipeline.Data.Formatting;
using Pipeline.Data.Ingest;

namespace Pipeline.Data.Reporting;

/// <summary>
/// The data-quality report (<c>artifacts/data/report.json</c>): every stage's counts, the label
/// distribution per split, and the change since the previous report. Its counts add up:
/// <c>RowsIn = RowsOut + Removed + Rejected</c>.
/// </summary>
public sealed record DataReport
{
    /// <summary>Records Ingest saw.</summary>
    public long RowsIn { get; init; }

    /// <summary>Rows written to the shards.</summary>
    public long RowsOut { get; init; }

    /// <summary>Rows Clean removed.</summary>
    public long Removed { get; init; }

    /// <summary>Records Ingest rejected.</summary>
    public long Rejected { get; init; }

    /// <summary>Ingest's summary.</summary>
    public required IngestSummary Ingest { get; init; }

    /// <summary>Clean's summary.</summary>
    public required CleanSummary Clean { get; init; }

    /// <summary>Format's summary.</summary>
    public required FormatSummary Format { get; init; }

    /// <summary>Rows out per label, per task (all splits).</summary>
    public required IReadOnlyDictionary<string, SortedDictionary<string, long>> Labels { get; init; }

    /// <summary>The change since the previous report, or null on a first run.</summary>
    public DataDiff? Diff { get; init; }
}

/// <summary>What changed since the previous report.</summary>
public sealed record DataDiff
{
    /// <summary>Rows out before.</summary>
    public long PreviousRowsOut { get; init; }

    /// <summary>Per task, per label: the change in rows (only labels that changed).</summary>
    public required IReadOnlyDictionary<string, SortedDictionary<string, long>> LabelChanges { get; init; }

    /// <summary>Per task: labels that are new.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> NewLabels { get; init; }

    /// <summary>Per task: labels that vanished.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> VanishedLabels { get; init; }
}
