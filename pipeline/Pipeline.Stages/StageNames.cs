namespace Pipeline.Stages;

/// <summary>The six stages, in pipeline order.</summary>
public static class StageNames
{
    public const string Ingest = nameof(Ingest);
    public const string Clean = nameof(Clean);
    public const string Format = nameof(Format);
    public const string Train = nameof(Train);
    public const string Evaluate = nameof(Evaluate);
    public const string Register = nameof(Register);

    /// <summary>All stages in the order they run.</summary>
    public static IReadOnlyList<string> All { get; } = [Ingest, Clean, Format, Train, Evaluate, Register];
}
