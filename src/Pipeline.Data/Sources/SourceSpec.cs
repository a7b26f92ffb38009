namespace Pipeline.Data.Sources;

/// <summary>One entry of <c>data.sources</c>: which files, how to read them, which fields to take.</summary>
public sealed record SourceSpec
{
    /// <summary>A glob relative to the repository root (<c>*</c>, <c>?</c>, <c>**</c>); for folder layouts it names the folder(s).</summary>
    public required string Path { get; init; }

    /// <summary>How to read the files. Default <see cref="SourceFormat.Auto"/>.</summary>
    public SourceFormat Format { get; init; } = SourceFormat.Auto;

    /// <summary>The text field(s), joined with a newline. Default <c>[text]</c>. Ignored for folder layouts.</summary>
    public IReadOnlyList<string> TextFields { get; init; } = ["text"];

    /// <summary>The label field, or several for multitask. Default <c>[label]</c>. Ignored for folder layouts (the folder name is the label).</summary>
    public IReadOnlyList<string> LabelFields { get; init; } = ["label"];

    /// <summary>The optional stable id field; null when rows have none (Clean then keys rows by their normalised text).</summary>
    public string? IdField { get; init; }

    /// <summary>Multitask: the task names, one per label field. Default null: <c>[label]</c> for one label field or a folder, else the label fields.</summary>
    public IReadOnlyList<string>? TaskNames { get; init; }

    /// <summary>CSV/TSV: the delimiter. Default null (comma for CSV, tab for TSV).</summary>
    public char? Delimiter { get; init; }

    /// <summary>IDX: the labels file's name, beside the images file. Default null (derived: <c>images-idx3</c> becomes <c>labels-idx1</c>).</summary>
    public string? LabelsFile { get; init; }

    /// <summary>IDX: the label of each class number, in order. Default null (the class number itself).</summary>
    public IReadOnlyList<string>? LabelNames { get; init; }

    /// <summary>The task names this source produces, in the order of each record's labels.</summary>
    public IReadOnlyList<string> Tasks =>
        TaskNames ?? (Format is SourceFormat.Folder or SourceFormat.Email or SourceFormat.ImageFolder or SourceFormat.Idx || LabelFields.Count <= 1 ? ["label"] : LabelFields);
}
