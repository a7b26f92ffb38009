namespace Pipeline.Data.Sources;

/// <summary>How a source's files are read.</summary>
public enum SourceFormat
{
    /// <summary>
    /// By extension: .jsonl/.json, .csv, .tsv/.tab, .parquet, images (.png, .jpg, …), IDX (a name with
    /// <c>idx3-ubyte</c>); a folder is read per label, as images when its first label folder holds an image.
    /// </summary>
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

    /// <summary><c>&lt;folder&gt;/&lt;label&gt;/*.png|*.jpg|*.jpeg|*.bmp|*.webp|*.gif</c>: one image per file.</summary>
    ImageFolder,

    /// <summary>An IDX images file (idx3-ubyte, gzipped or raw) with its IDX labels file (idx1-ubyte) beside it.</summary>
    Idx,
}
