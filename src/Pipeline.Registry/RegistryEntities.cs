namespace Pipeline.Registry;

/// <summary>Registration states of a model version; MLflow sends <c>"READY"</c> and the like.</summary>
public enum ModelVersionStatus
{
    PendingRegistration,
    FailedRegistration,
    Ready,
}

/// <summary>A registered model with its tags and aliases (alias name to version).</summary>
public sealed record RegisteredModel(
    string Name,
    long CreationTimestamp,
    long LastUpdatedTimestamp,
    string Description,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyDictionary<string, int> Aliases);

/// <summary>A model version. <see cref="Version"/> is 1, 2, 3... per model.</summary>
public sealed record ModelVersion(
    string Name,
    int Version,
    long CreationTimestamp,
    long LastUpdatedTimestamp,
    string Description,
    string Source,
    string RunId,
    ModelVersionStatus Status,
    string StatusMessage,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<string> Aliases);
