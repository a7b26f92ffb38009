namespace Pipeline.Configuration;

/// <summary>The <c>register</c> section: where a model that passes the gates goes.</summary>
public sealed record RegisterOptions
{
    /// <summary>Registered model name. Default <c>support-intents</c>.</summary>
    [ConfigDescription("Registered model name. Default support-intents.")]
    public string ModelName { get; init; } = "support-intents";

    /// <summary>MLflow experiment that holds the runs. Default <c>support-intents</c>.</summary>
    [ConfigDescription("MLflow experiment that holds the runs. Default support-intents.")]
    public string Experiment { get; init; } = "support-intents";

    /// <summary>
    /// MLflow tracking server URI. Default <c>${MLFLOW_TRACKING_URI:-}</c>; empty or unset means
    /// the local registry under <c>./mlruns</c>.
    /// </summary>
    [ConfigDescription("MLflow tracking server URI. Default ${MLFLOW_TRACKING_URI:-}; empty or unset means the local registry under ./mlruns.")]
    public string? TrackingUri { get; init; }
}
