namespace Pipeline.Data.Model;

/// <summary>What the rows are, as the stage summaries and Format's manifest say it: every source of a run has the same.</summary>
public static class DataModality
{
    /// <summary>Labeled texts (JSONL, CSV/TSV, Parquet, text and mail folders).</summary>
    public const string Text = "text";

    /// <summary>Labeled images (image folders, IDX).</summary>
    public const string Image = "image";
}
