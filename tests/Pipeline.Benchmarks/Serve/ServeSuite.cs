using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using Pipeline.Serving;
using Pipeline.Serving.Export;
using Pipeline.Serving.Models;
using Pipeline.Serving.Onnx;
using Pipeline.Training.Heads;
using Pipeline.Training.Loading;
using static TorchSharp.torch;

namespace Pipeline.Benchmarks.Serve;

/// <summary>
/// <c>./build.sh Benchmark --suite serve</c>: the model service on 127.0.0.1 with a MiniLM classifier
/// (imported from its package, random 4-label head), exported to ONNX and served by ONNX Runtime, and
/// the same classifier folder served by TorchSharp. For each runtime, batching off (batch 1) and on
/// (batch up to 32), a bounded number of single-text <c>/v1/predict</c> requests at concurrency 1, 4
/// and 16 from an in-process HttpClient; against bare ONNX Runtime (tokenise, run, softmax) one text
/// at a time on the same model.
/// </summary>
internal static class ServeSuite
{
    private static readonly string[] Subjects = ["my card", "the invoice", "my password", "the order", "my account", "the refund", "the app", "my subscription"];
    private static readonly string[] Predicates =
    [
        "was charged twice", "is wrong again", "does not work", "never arrived", "is locked and I cannot log in",
        "needs to be cancelled today please", "shows an error when I pay", "was reset without asking me",
    ];

    private static readonly int[] Levels = [1, 4, 16];

    public static async Task<int> RunAsync(string work, int requestsPerLevel)
    {
        var texts = Subjects.SelectMany(s => Predicates.Select(p => $"Hello, {s} {p}.")).ToArray();
        var (torchFolder, onnxFolder) = PrepareModels(work, texts);
        Console.WriteLine($"MiniLM classifier (6 layers, hidden 384, 4 labels); {texts.Length} short support sentences; {requestsPerLevel} single-text requests per level; {Environment.ProcessorCount} cores (shared with other work: figures are indicative)");

        var bareBefore = BareOnnx(onnxFolder, texts, requestsPerLevel);
        Console.WriteLine();
        Console.WriteLine($"bare ONNX Runtime, one text per call (before): p50 {bareBefore.P50:F2} ms, p95 {bareBefore.P95:F2} ms, p99 {bareBefore.P99:F2} ms, {bareBefore.PerSecond:F1} requests/s");
        Console.WriteLine();
        Console.WriteLine("| runtime | batching | clients | requests/s | p50 ms | p95 ms | p99 ms | failed |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
        var results = new List<(string Runtime, bool Batching, int Clients, Stats Stats)>();
        foreach (var (runtime, folder) in new[] { ("onnx", onnxFolder), ("torchsharp", torchFolder) })
        {
            foreach (var batching in new[] { false, true })
            {
                var options = new ServingOptions
                {
                    Model = folder,
                    MaxBatchSize = batching ? 32 : 1,
                    QueueCapacity = 1024,
                    PollInterval = TimeSpan.Zero,
                };
                await using var host = await ServingHost.StartAsync(options, ModelSource.Default(), ["http://127.0.0.1:0"], CancellationToken.None, l => l.ClearProviders());
                using var client = new HttpClient { BaseAddress = host.Urls[0], Timeout = TimeSpan.FromSeconds(60) };
                await LoadAsync(client, texts, 16, 32);
                foreach (var clients in Levels)
                {
                    var stats = await LoadAsync(client, texts, clients, requestsPerLevel);
                    results.Add((runtime, batching, clients, stats));
                    Console.WriteLine($"| {runtime} | {(batching ? "on (32)" : "off")} | {clients} | {stats.PerSecond:F1} | {stats.P50:F2} | {stats.P95:F2} | {stats.P99:F2} | {stats.Failed} |");
                }
            }
        }

        // The machine is shared: the baseline is measured before and after, and the goals use its better figures.
        var bareAfter = BareOnnx(onnxFolder, texts, requestsPerLevel);
        Console.WriteLine();
        Console.WriteLine($"bare ONNX Runtime, one text per call (after): p50 {bareAfter.P50:F2} ms, p95 {bareAfter.P95:F2} ms, p99 {bareAfter.P99:F2} ms, {bareAfter.PerSecond:F1} requests/s");
        var bare = new Stats(Math.Min(bareBefore.P50, bareAfter.P50), 0, 0, Math.Max(bareBefore.PerSecond, bareAfter.PerSecond), 0);
        var single = results.Single(r => r is { Runtime: "onnx", Batching: true, Clients: 1 }).Stats;
        var sixteen = results.Single(r => r is { Runtime: "onnx", Batching: true, Clients: 16 }).Stats;
        Console.WriteLine($"service p50 at 1 client (batching on) / best bare ONNX Runtime p50: {single.P50 / bare.P50:F2} (goal <= 1.2)");
        Console.WriteLine($"service requests/s at 16 clients (batching on) / best bare ONNX Runtime requests/s: {sixteen.PerSecond / bare.PerSecond:F2} (goal >= 1.2)");
        return results.Any(r => r.Stats.Failed > 0) ? 1 : 0;
    }

    /// <summary>A classifier folder as training writes it (TorchSharp) and its ONNX export in another folder.</summary>
    private static (string Torch, string Onnx) PrepareModels(string work, string[] texts)
    {
        var baseFolder = PackagedModels.EnsureImported("minilm", Path.Combine(work, "cache"));
        var torchFolder = Path.Combine(work, "classifier");
        var onnxFolder = Path.Combine(work, "onnx");
        foreach (var folder in new[] { torchFolder, onnxFolder })
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        random.manual_seed(1);
        using (var model = new TextClassifier(
            HuggingFaceFolder.Load(baseFolder),
            [new TaskHeadSpec("intent", TaskKind.SingleLabel, 4) { LabelNames = ["billing", "account", "shipping", "other"] }]))
        {
            ClassifierFolder.Save(model, torchFolder, Path.Combine(baseFolder, HuggingFaceFolder.VocabFile));
        }

        var export = OnnxExporter.Export(torchFolder, onnxFolder, texts[..8]);
        if (!export.Exported)
        {
            throw new InvalidOperationException($"The ONNX export was skipped: {export.Reason}");
        }

        Console.WriteLine($"ONNX export on the {export.BaseGraph} graph: max |ONNX Runtime - TorchSharp| = {export.MaxAbsDifference:E2}");
        return (torchFolder, onnxFolder);
    }

    private static Stats BareOnnx(string folder, string[] texts, int requests)
    {
        using var model = OnnxServingModel.Load(folder, ModelSource.DescribeFolder(folder), new OnnxModelOptions());
        for (var i = 0; i < 32; i++)
        {
            model.Predict([texts[i % texts.Length]]);
        }

        var latencies = new double[requests];
        var total = Stopwatch.StartNew();
        for (var i = 0; i < requests; i++)
        {
            var started = Stopwatch.GetTimestamp();
            model.Predict([texts[i % texts.Length]]);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        return Stats.From(latencies, total.Elapsed, 0);
    }

    /// <summary><paramref name="clients"/> callers sharing <paramref name="requests"/> single-text requests, each waiting for its answer before the next.</summary>
    private static async Task<Stats> LoadAsync(HttpClient client, string[] texts, int clients, int requests)
    {
        var latencies = new double[requests];
        var next = -1;
        var failed = 0;
        var total = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await client.PostAsJsonAsync("/v1/predict", new { inputs = new[] { texts[i % texts.Length] } }).ConfigureAwait(false);
                await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers).ConfigureAwait(false);
        return Stats.From(latencies, total.Elapsed, failed);
    }

    private sealed record Stats(double P50, double P95, double P99, double PerSecond, int Failed)
    {
        public static Stats From(double[] latencies, TimeSpan elapsed, int failed)
        {
            var sorted = latencies.Order().ToArray();
            double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
            return new Stats(At(0.50), At(0.95), At(0.99), latencies.Length / elapsed.TotalSeconds, failed);
        }
    }
}
