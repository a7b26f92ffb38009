namespace Pipeline.Stages.Incremental;

/// <summary>What a stage reads (<see cref="Inputs"/>) and writes (<see cref="Outputs"/>).</summary>
public sealed record StageDeclaration
{
    /// <summary>Everything whose change must rerun the stage. At least one is expected.</summary>
    public IReadOnlyList<StageInput> Inputs { get; init; } = [];

    /// <summary>
    /// Files or folders the stage writes, relative to the artifacts folder (<c>clean</c>,
    /// <c>train/model.safetensors</c>). A folder's checksum covers every file under it.
    /// </summary>
    public IReadOnlyList<string> Outputs { get; init; } = [];
}
