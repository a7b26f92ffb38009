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

    /// <summary>
    /// Log merged encoder weights (a full copy of the base with the adapter folded in) instead of
    /// the adapter alone plus a reference to the base. Default false; <c>./build.sh Register --merge</c> sets it.
    /// Full fine-tuning always logs full weights.
    /// </summary>
    [ConfigDescription("Log merged encoder weights instead of the LoRA adapter plus a reference (name, source, sha256) to the base model. Default false; ./build.sh Register --merge sets it. Full fine-tuning always logs full weights.")]
    public bool Merge { get; init; }
}
