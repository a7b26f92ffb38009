namespace Pipeline.Serving.Internal;

/// <summary>What the endpoints share.</summary>
internal sealed record ServingState(
    ServingOptions Options,
    ModelHolder Holder,
    ModelManager Manager,
    InferenceBatcher Batcher,
    PrometheusMetrics Metrics,
    AdminToken AdminToken);
