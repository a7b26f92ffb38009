using Pipeline.Serving;
using Pipeline.Serving.Models;

// Exit codes: 0 after a clean shutdown (SIGTERM, Ctrl+C); 2 for a usage or model error, printed as one line.
try
{
    var (options, urls) = ServingCommandLine.Parse(args);

    // Local model folders load directly. For models:/ references, pass the registry library's
    // IModelRegistryResolver here (the lead wires it: local ./mlruns store or MLFLOW_TRACKING_URI).
    var source = ModelSource.Onnx(registry: null);
    await using var host = await ServingHost.StartAsync(options, source, urls, CancellationToken.None).ConfigureAwait(false);
    await host.WaitForShutdownAsync(CancellationToken.None).ConfigureAwait(false);
    return 0;
}
catch (ServingException e)
{
    await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
    return 2;
}
