namespace Pipeline.Data.Sources;

/// <summary>How a source's files are read.</summary>
public enum SourceFormat
{
    /// <summary>By extension: .jsonl/.json, .csv, .tsv/.tab, .parquet, .eml; a folder is read per label.</summary>
    Auto,

    /// <summary>One JSON object per line.</summary>
    Jsonl,

    /// <summary>Comma-separated, header row, RFC 4180 quoting.</summary>
    Csv,

    /// <summary>Tab-separated, header row.</summary>
    Tsv,

    /// <summary>Apache Parquet.</summary>
    Parquet,

    /// <summary><c>&lt;folder&gt;/&lt;label&gt;/*.txt|*.eml</c>: .txt is plain text, .eml an RFC 822 mail.</summary>
    Folder,

    /// <summary>Like <see cref="Folder"/>, but every file is an RFC 822 mail, whatever its extension.</summary>
    Email,
}
