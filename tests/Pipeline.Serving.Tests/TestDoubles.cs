using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Pipeline.Serving.Models;

namespace Pipeline.Serving.Tests;

/// <summary>
/// An in-memory registry: versions are real ONNX model folders, the alias can be moved. The
/// service loads them through the real <see cref="ModelSource"/> and ONNX loader.
/// </summary>
internal sealed class InMemoryRegistry : IModelRegistryResolver
{
    private readonly ConcurrentDictionary<string, string> _folders = new();
    private volatile string _champion = "";

    public void Register(string version, string folder) => _folders[version] = folder;

    public void SetAlias(string version) => _champion = version;

    public Task<RegisteredModelVersion> ResolveAsync(ModelReference reference, CancellationToken cancellationToken)
    {
        var version = reference.Alias is not null ? _champion : reference.Version!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!_folders.ContainsKey(version))
        {
            throw new ServingException($"No version {version} of {reference.Name}.");
        }

        return Task.FromResult(new RegisteredModelVersion(reference.Name!, version, reference.Alias, "commit-" + version, new Dictionary<string, double> { ["accuracy"] = 0.8 }));
    }

    public Task<string> MaterializeAsync(RegisteredModelVersion version, CancellationToken cancellationToken) =>
        Task.FromResult(_folders[version.Version]);
}

/// <summary>A model whose behaviour a test chooses (slow, throwing), with one head.</summary>
internal sealed class ScriptedModel(string version, Func<IReadOnlyList<string>, IReadOnlyList<ModelPrediction>>? behaviour = null) : IServingModel
{
    private int _disposed;

    public ModelDescriptor Descriptor { get; } = new("scripted", version, null, null, new Dictionary<string, double>());

    public IReadOnlyList<ModelHead> Heads { get; } = [new ModelHead("label", ["yes", "no"])];

    public ModelModality Modality => ModelModality.Text;

    public bool IsDisposed => Volatile.Read(ref _disposed) == 1;

    public IReadOnlyList<ModelPrediction> Predict(IReadOnlyList<string> texts)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return behaviour is null ? Answer(texts) : behaviour(texts);
    }

    public static IReadOnlyList<ModelPrediction> Answer(IReadOnlyList<string> texts) =>
        [.. texts.Select(t => new ModelPrediction([new HeadPrediction("label", t.Length % 2 == 0 ? "yes" : "no", t.Length % 2 == 0 ? [0.75f, 0.25f] : [0.25f, 0.75f])]))];

    public void Dispose() => Interlocked.Exchange(ref _disposed, 1);
}

/// <summary>A model source handing out one scripted model.</summary>
internal sealed class ScriptedSource(IServingModel model) : IModelSource
{
    public Task<string> ResolveVersionAsync(ModelReference reference, CancellationToken cancellationToken) => Task.FromResult(model.Descriptor.Version);

    public Task<IServingModel> LoadAsync(ModelReference reference, CancellationToken cancellationToken) => Task.FromResult(model);
}

/// <summary>A running service on a free loopback port with a client for it.</summary>
internal sealed class RunningService : IAsyncDisposable
{
    private RunningService(ServingHost host, HttpClient client)
    {
        Host = host;
        Client = client;
    }

    public ServingHost Host { get; }

    public HttpClient Client { get; }

    public static async Task<RunningService> StartAsync(ServingOptions options, IModelSource source)
    {
        var host = await ServingHost.StartAsync(options, source, ["http://127.0.0.1:0"], CancellationToken.None, l => l.ClearProviders());
        return new RunningService(host, new HttpClient { BaseAddress = host.Urls[0], Timeout = TimeSpan.FromSeconds(30) });
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
    }
}
