using Microsoft.Extensions.Logging;

namespace Pipeline.Registry;

/// <summary>Picks the store the pipeline talks to.</summary>
public static class MlflowClients
{
    /// <summary>
    /// A <see cref="MlflowClient"/> when <c>MLFLOW_TRACKING_URI</c> is set (with MLflow's auth
    /// variables), else the embedded <see cref="LocalRegistry"/> under <paramref name="localRoot"/>.
    /// </summary>
    public static IMlflowClient FromEnvironment(string localRoot = "mlruns", ILogger? logger = null, Func<string, string?>? getVariable = null) =>
        MlflowClientOptions.FromEnvironment(getVariable) is { } options
            ? new MlflowClient(options, logger)
            : new LocalRegistry(localRoot, logger);
}
