namespace Pipeline.Stages.Incremental;

/// <summary>
/// A stage whose inputs include something only I/O can tell, such as the registry's current
/// champion: like <see cref="IIncrementalStage"/>, but the declaration is asynchronous.
/// </summary>
public interface IAsyncIncrementalStage : IStage
{
    /// <summary>
    /// The stage's inputs and outputs for this run. Called before the stage runs; it must not read
    /// the outputs or change anything. Paths resolve against <paramref name="settings"/>.
    /// </summary>
    Task<StageDeclaration> DeclareInputsAndOutputsAsync(StageSettings settings, CancellationToken cancellationToken);
}
