namespace Pipeline.Build;

/// <summary>What happened to a planned target.</summary>
public enum ExecutionStatus
{
    /// <summary>Planned, not reached yet.</summary>
    Scheduled,

    /// <summary>Not run because a dependency or an earlier target failed.</summary>
    NotRun,

    /// <summary>Skipped by <c>--skip</c> or a false <c>OnlyWhen</c> condition.</summary>
    Skipped,

    /// <summary>Ran and succeeded.</summary>
    Succeeded,

    /// <summary>Ran and threw.</summary>
    Failed,

    /// <summary>Has no actions: it only groups its dependencies.</summary>
    Collective,
}
