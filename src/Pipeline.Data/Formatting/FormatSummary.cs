using Pipeline.Data.Cleaning;

namespace Pipeline.Data.Formatting;

/// <summary>What Format did, written to <c>artifacts/format/summary.json</c>.</summary>
public sealed record FormatSummary
{
    /// <summary>Rows read from Clean's records; equals the sum of the splits' rows.</summary>
    public long RowsIn { get; init; }

    /// <summary>Per split (<c>train</c>, <c>validation</c>, <c>test</c>).</summary>
    public required IReadOnlyDictionary<string, SplitSummary> Splits { get; init; }

    /// <summary>Rows of near-duplicate clusters that their own key would have put in another split than their cluster's: leakage prevented.</summary>
    public long LeakagePrevented { get; init; }

    /// <summary>Duplicates Clean removed whose own key would have put them in another split than the row kept: leakage found and removed.</summary>
    public long LeakageRemoved { get; init; }

    /// <summary>Rows cut to <c>format.max_length</c>.</summary>
    public long Truncated { get; init; }
}

/// <summary>One split's rows, tokens and label distribution.</summary>
public sealed record SplitSummary
{
    /// <summary>Rows.</summary>
    public long Rows { get; init; }

    /// <summary>Rows per label, per task.</summary>
    public required IReadOnlyDictionary<string, SortedDictionary<string, long>> LabelCounts { get; init; }

    /// <summary>Token lengths (with [CLS] and [SEP]).</summary>
    public required LengthStats TokenLengths { get; init; }
}
