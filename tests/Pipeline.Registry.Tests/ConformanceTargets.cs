using Pipeline.Registry.Tests.Fakes;

namespace Pipeline.Registry.Tests;

/// <summary>The conformance suite against the in-process fake server, through <see cref="MlflowClient"/>.</summary>
public sealed class FakeServerConformanceSpecs : ConformanceSpecs
{
    private FakeMlflowServer? _server;

    protected override async Task<IMlflowClient> CreateClientAsync(string tempPath)
    {
        _server = await FakeMlflowServer.StartAsync();
        return new MlflowClient(TestClients.FastOptions(_server.BaseUri));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>The conformance suite against the embedded local registry.</summary>
public sealed class LocalRegistryConformanceSpecs : ConformanceSpecs
{
    protected override Task<IMlflowClient> CreateClientAsync(string tempPath) =>
        Task.FromResult<IMlflowClient>(new LocalRegistry(Path.Combine(tempPath, "mlruns")));
}

/// <summary>The conformance suite against MLFLOW_TRACKING_URI; skipped with a message when it is unset.</summary>
public sealed class LiveServerConformanceSpecs : ConformanceSpecs
{
    protected override string? SkipReason =>
        string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("MLFLOW_TRACKING_URI"))
            ? "MLFLOW_TRACKING_URI is not set: set it to an MLflow server (e.g. http://127.0.0.1:5000) to run the conformance suite against it."
            : null;

    protected override Task<IMlflowClient> CreateClientAsync(string tempPath) =>
        Task.FromResult<IMlflowClient>(new MlflowClient(MlflowClientOptions.FromEnvironment()! with { PollInterval = TimeSpan.FromMilliseconds(200) }));
}
