namespace Pipeline.Configuration;

/// <summary>The <c>data</c> section: the sources to ingest and the optional declared label set.</summary>
public sealed record DataOptions
{
    /// <summary>
    /// The files to ingest. Default: one source, <c>data/labeled/*.jsonl</c> (jsonl, text field
    /// <c>text</c>, label field <c>intent</c>, id field <c>id</c>). At least one.
    /// </summary>
    [ConfigDescription("The files to ingest. Default: one source, data/labeled/*.jsonl (jsonl, text field 'text', label field 'intent', id field 'id'). At least one.")]
    [ConfigRange(Min = 1)]
    public IReadOnlyList<DataSourceOptions> Sources { get; init; } =
    [
        new DataSourceOptions { Path = "data/labeled/*.jsonl", Format = DataFormat.Jsonl, Label = "intent", Id = "id" },
    ];

    /// <summary>
    /// The declared label set; rows with another label are rejected. Default: none (every label
    /// found in the data is accepted).
    /// </summary>
    [ConfigDescription("The declared label set; rows with another label are rejected. Default: none (every label found in the data is accepted).")]
    public IReadOnlyList<string>? Labels { get; init; }
}

/// <summary>One entry of <c>data.sources</c>: a glob and how to read the files it matches.</summary>
public sealed record DataSourceOptions
{
    /// <summary>A glob relative to the repository root, e.g. <c>data/labeled/*.jsonl</c>. Required.</summary>
    [ConfigDescription("A glob relative to the repository root, e.g. data/labeled/*.jsonl. Required.")]
    public required string Path { get; init; }

    /// <summary>The file format. Default <c>auto</c> (from the file extension).</summary>
    [ConfigDescription("The file format. Default auto (from the file extension).")]
    public DataFormat Format { get; init; } = DataFormat.Auto;

    /// <summary>One or more text fields, joined with a newline. Default <c>[text]</c>; at least one.</summary>
    [ConfigDescription("One or more text fields, joined with a newline. Default [text]; at least one.")]
    [ConfigRange(Min = 1)]
    public IReadOnlyList<string> Text { get; init; } = ["text"];

    /// <summary>The label field for a single task. Default <c>label</c>; empty for none.</summary>
    [ConfigDescription("The label field for a single task. Default label; empty for none.")]
    public string? Label { get; init; } = "label";

    /// <summary>
    /// Multitask only: task name to label field, e.g. <c>{intent: intent, urgency: priority}</c>.
    /// Default: none.
    /// </summary>
    [ConfigDescription("Multitask only: task name to label field, e.g. {intent: intent, urgency: priority}. Default: none.")]
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>An optional stable id field. Default: none (rows are identified by file and line).</summary>
    [ConfigDescription("An optional stable id field. Default: none (rows are identified by file and line).")]
    public string? Id { get; init; }

    /// <summary>The field delimiter for csv. Default: none (comma for csv, tab for tsv); one character.</summary>
    [ConfigDescription("The field delimiter for csv. Default: none (comma for csv, tab for tsv); one character.")]
    public char? Delimiter { get; init; }

    /// <summary>The text encoding of the files. Default <c>utf-8</c>.</summary>
    [ConfigDescription("The text encoding of the files. Default utf-8.")]
    public string? Encoding { get; init; } = "utf-8";

    /// <summary>
    /// idx only: the labels file (idx1-ubyte, gzipped or raw) beside each images file, by file name.
    /// Default: none (the images file's name with <c>images-idx3</c> replaced by <c>labels-idx1</c>).
    /// </summary>
    [ConfigDescription("idx only: the labels file (idx1-ubyte, gzipped or raw) beside each images file, by file name. Default: none (the images file's name with images-idx3 replaced by labels-idx1).")]
    public string? LabelsFile { get; init; }

    /// <summary>
    /// idx only: the label name of each class number, in order (e.g. Fashion-MNIST's ten names).
    /// Default: none (the label is the class number, e.g. <c>7</c>).
    /// </summary>
    [ConfigDescription("idx only: the label name of each class number, in order (e.g. Fashion-MNIST's ten names). Default: none (the label is the class number).")]
    public IReadOnlyList<string>? LabelNames { get; init; }
}

/// <summary>How a data source's files are read.</summary>
public enum DataFormat
{
    /// <summary>From the file extension.</summary>
    Auto,

    /// <summary>One JSON object per line.</summary>
    Jsonl,

    /// <summary>Comma-separated values with a header row.</summary>
    Csv,

    /// <summary>Tab-separated values with a header row.</summary>
    Tsv,

    /// <summary>Apache Parquet.</summary>
    Parquet,

    /// <summary>One folder per label, one text file per row (.txt, .eml).</summary>
    Folder,

    /// <summary>E-mail messages (.eml), one per file.</summary>
    Email,

    /// <summary>The IDX binary format (MNIST-style): an idx3-ubyte images file paired with an idx1-ubyte labels file, gzipped or raw.</summary>
    Idx,

    /// <summary>One folder per label, one image per file (.png, .jpg, .jpeg, .bmp, .webp, .gif).</summary>
    ImageFolder,
}
