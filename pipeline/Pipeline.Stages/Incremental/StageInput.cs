namespace Pipeline.Stages.Incremental;

/// <summary>The kinds of thing a stage can depend on.</summary>
public enum StageInputKind
{
    /// <summary>Files in the repository, by content: a glob, a file or a folder, relative to the repository root.</summary>
    Files,

    /// <summary>Files an earlier stage wrote, by content: a glob, a file or a folder, relative to the artifacts folder.</summary>
    Artifacts,

    /// <summary>A <c>pipeline.yaml</c> section as canonical text.</summary>
    Config,

    /// <summary>A named value such as the build's code version or the base model's checksum.</summary>
    Value,
}

/// <summary>One thing a stage depends on. Create with the static factories.</summary>
public sealed record StageInput
{
    private StageInput(StageInputKind kind, string name, string? text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Kind = kind;
        Name = name;
        Text = text;
    }

    /// <summary>What kind of input this is.</summary>
    public StageInputKind Kind { get; }

    /// <summary>The pattern or path for files, the section for config, the value's name otherwise.</summary>
    public string Name { get; }

    /// <summary>The config text or the value; <see langword="null"/> for files.</summary>
    public string? Text { get; }

    /// <summary>Repository files matching a glob (<c>data/labeled/**/*.jsonl</c>), or one file or folder.</summary>
    public static StageInput Files(string pathOrGlob) => new(StageInputKind.Files, Normalize(pathOrGlob), null);

    /// <summary>Files an earlier stage wrote under the artifacts folder (<c>clean/rows.jsonl</c>, <c>format</c>).</summary>
    public static StageInput Artifacts(string pathOrGlob) => new(StageInputKind.Artifacts, Normalize(pathOrGlob), null);

    /// <summary>A config section (<c>train</c>) as canonical text: the same settings must give the same text.</summary>
    public static StageInput Config(string section, string canonicalText)
    {
        ArgumentNullException.ThrowIfNull(canonicalText);
        return new(StageInputKind.Config, section, canonicalText.ReplaceLineEndings("\n"));
    }

    /// <summary>The build's code version (a commit id, an assembly version): code changes rerun the stage.</summary>
    public static StageInput CodeVersion(string version) => Value("code", version);

    /// <summary>The base model's checksum: a new base model reruns the stage.</summary>
    public static StageInput BaseModel(string checksum) => Value("base-model", checksum);

    /// <summary>Any other named value the stage's result depends on.</summary>
    public static StageInput Value(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(StageInputKind.Value, name, value);
    }

    private static string Normalize(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var normalized = path.Replace('\\', '/');
        while (normalized.StartsWith("./", StringComparison.Ordinal))
        {
            normalized = normalized[2..];
        }

        return normalized.TrimEnd('/');
    }
}
