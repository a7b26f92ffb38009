using Pipeline.Registry;
using Pipeline.Serving;
using Pipeline.Serving.Models;

// Exit codes: 0 after a clean shutdown (SIGTERM, Ctrl+C); 2 for a usage or model error, printed as one line.
try
{
    var (options, urls) = ServingCommandLine.Parse(args);

    // models:/ references resolve in the pipeline's registry: MLFLOW_TRACKING_URI when set, else the
    // local store under ./mlruns. Versions are downloaded (checksums verified) into PIPELINE_MODEL_CACHE.
    using var registry = ModelReference.Parse(options.Model).IsRegistry ? MlflowClients.FromEnvironment(localRoot: "mlruns") : null;
    var cache = Environment.GetEnvironmentVariable("PIPELINE_MODEL_CACHE") is { Length: > 0 } c
        ? c
        : Path.Combine(Path.GetTempPath(), "pipeline-serving-models");
    var source = ModelSource.Onnx(registry is null ? null : new RegistryModelResolver(registry, cache));
    await using var host = await ServingHost.StartAsync(options, source, urls, CancellationToken.None).ConfigureAwait(false);
    await host.WaitForShutdownAsync(CancellationToken.None).ConfigureAwait(false);
    return 0;
}
catch (Pipeline.Errors.PipelineException e)
{
    await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
    return 2;
}
