namespace Pipeline.Serving;

/// <summary>The service's routes; the Kubernetes probes and the Dockerfile's health check use these.</summary>
public static class ServingRoutes
{
    /// <summary><c>POST</c>: <c>{"inputs": ["text", ...]}</c> → labels and scores per head, and the version that answered.</summary>
    public const string Predict = "/v1/predict";

    /// <summary><c>POST</c>: MLflow scoring protocol (<c>inputs</c>, <c>instances</c>, <c>dataframe_split</c>, <c>dataframe_records</c>) → <c>{"predictions": [...]}</c>.</summary>
    public const string Invocations = "/invocations";

    /// <summary><c>GET</c>: name, version, alias, commit, metrics and heads of the model serving.</summary>
    public const string Model = "/v1/model";

    /// <summary><c>GET</c>: 200 while the process runs (liveness).</summary>
    public const string Health = "/healthz";

    /// <summary><c>GET</c>: 200 when a model is loaded, else 503; the body reports the last refused reload (readiness).</summary>
    public const string Ready = "/readyz";

    /// <summary><c>GET</c>: Prometheus text exposition.</summary>
    public const string Metrics = "/metrics";

    /// <summary><c>POST</c> with <c>Authorization: Bearer TOKEN</c>: check the reference now and swap to a new version.</summary>
    public const string AdminReload = "/admin/reload";
}
