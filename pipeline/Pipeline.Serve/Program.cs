using Pipeline.Errors;
using Pipeline.Serving;

// Exit codes: 0 after a clean shutdown (SIGTERM, Ctrl+C); 2 for a usage or model error, printed as one line.
try
{
    var (options, urls) = ServingCommandLine.Parse(args);
    await ServingHost.RunAsync(options, urls, localRegistryRoot: "mlruns", CancellationToken.None).ConfigureAwait(false);
    return 0;
}
catch (PipelineException e)
{
    await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
    return 2;
}
