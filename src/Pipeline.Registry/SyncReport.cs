namespace Pipeline.Registry;

/// <summary>What a <see cref="RegistrySync"/> pass did; a second pass over unchanged data creates nothing.</summary>
public sealed record SyncReport(
    int ExperimentsCreated,
    int RunsCreated,
    int RunsReused,
    int MetricPointsLogged,
    int ArtifactsUploaded,
    int ModelVersionsCreated,
    int ModelVersionsReused,
    int AliasesSet)
{
    /// <summary>True when the pass created no experiment, run or version and uploaded nothing.</summary>
    public bool CreatedNothing => ExperimentsCreated == 0 && RunsCreated == 0 && MetricPointsLogged == 0 && ArtifactsUploaded == 0 && ModelVersionsCreated == 0;
}
