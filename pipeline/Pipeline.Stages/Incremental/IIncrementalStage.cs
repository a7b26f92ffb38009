namespace Pipeline.Stages.Incremental;

/// <summary>
/// A stage that declares what it reads and writes, so <see cref="IncrementalRunner"/> can skip it
/// when nothing it reads changed since its last completed run and its outputs are intact.
/// Stages that do not implement it always run.
/// </summary>
public interface IIncrementalStage : IStage
{
    /// <summary>
    /// The stage's inputs and outputs for this run. Called before the stage runs; it must not
    /// read the outputs or have side effects. Paths resolve against <paramref name="settings"/>.
    /// </summary>
    StageDeclaration DeclareInputsAndOutputs(StageSettings settings);
}
