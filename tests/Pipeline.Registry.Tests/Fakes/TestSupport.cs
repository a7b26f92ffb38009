using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Pipeline.Registry.Tests.Fakes;

/// <summary>A temp folder removed on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "registry-tests-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Left behind in /tmp: harmless.
        }
    }
}

/// <summary>Collects formatted log lines, to check what would reach a log.</summary>
public sealed class CollectingLogger : ILogger
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        Lines.Enqueue(formatter(state, exception) + (exception is null ? "" : " " + exception));
    }
}

public static class TestClients
{
    /// <summary>Options for the fake server: fast backoff and polling so retries take milliseconds.</summary>
    public static MlflowClientOptions FastOptions(Uri uri) => new()
    {
        TrackingUri = uri,
        MaxRetries = 3,
        BackoffFactor = TimeSpan.FromMilliseconds(10),
        BackoffJitter = TimeSpan.FromMilliseconds(5),
        PollInterval = TimeSpan.FromMilliseconds(20),
        AwaitCreationFor = TimeSpan.FromSeconds(30),
        RequestTimeout = TimeSpan.FromSeconds(30),
    };

    public static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    public static async Task<string> WriteFileAsync(string path, int size, int seed)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        await File.WriteAllBytesAsync(path, bytes);
        return path;
    }
}
