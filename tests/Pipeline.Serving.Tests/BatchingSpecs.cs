using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Serving.Models;

namespace Pipeline.Serving.Tests;

public sealed class BatchingSpecs
{
    private static readonly string[] Texts = ["eeeee", "a", "ccc", "bb", "dddd", "ffffff"];

    [Fact]
    public async Task I_can_have_concurrent_requests_gathered_into_batches_sorted_by_length_and_each_answered_with_its_own_text()
    {
        // Arrange: the model echoes each text as its label and blocks its first real batch until
        // every other request is queued, so those form the next window.
        using var gate = new ManualResetEventSlim(false);
        using var entered = new SemaphoreSlim(0);
        var batches = new ConcurrentQueue<string[]>();
        var model = new EchoModel(texts =>
        {
            if (texts.Count == 1 && texts[0] == "smoke test")
            {
                return;
            }

            batches.Enqueue([.. texts]);
            if (batches.Count == 1)
            {
                entered.Release();
                gate.Wait(TimeSpan.FromSeconds(30));
            }
        });
        var options = new ServingOptions { Model = "models:/echo@champion", MaxBatchSize = 2, PollInterval = TimeSpan.Zero };
        await using var service = await RunningService.StartAsync(options, new ScriptedSource(model));
        var first = Predict(service, Texts[0]);
        Assert.True(await entered.WaitAsync(TimeSpan.FromSeconds(20)));
        var rest = Texts.Skip(1).Select(t => Predict(service, t)).ToList();
        while (!(await service.Client.GetStringAsync("/metrics")).Contains($"pipeline_queue_depth {rest.Count}\n", StringComparison.Ordinal))
        {
            await Task.Delay(10);
        }

        // Act
        gate.Set();
        var answers = await Task.WhenAll(rest.Prepend(first));

        // Assert: every request got its own text back, and the five waiting requests ran as one
        // window in batches of at most two, shortest texts first.
        Assert.Equal(Texts, answers);
        Assert.Equal([["eeeee"], ["a", "bb"], ["ccc", "dddd"], ["ffffff"]], batches.ToArray());
        var metrics = await service.Client.GetStringAsync("/metrics");
        Assert.Contains("pipeline_batch_size_bucket{le=\"2\"} 4\n", metrics, StringComparison.Ordinal);
    }

    private static async Task<string> Predict(RunningService service, string text)
    {
        var response = await service.Client.PostAsJsonAsync("/v1/predict", new { inputs = new[] { text } });
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("predictions")[0].GetProperty("label").GetString()!;
    }

    /// <summary>Answers each text with itself as the label (the labels are the texts the test sends).</summary>
    private sealed class EchoModel(Action<IReadOnlyList<string>> observe) : IServingModel
    {
        public ModelDescriptor Descriptor { get; } = new("echo", "1", null, null, new Dictionary<string, double>());

        public IReadOnlyList<ModelHead> Heads { get; } = [new ModelHead("label", [.. Texts, "smoke test"])];

        public ModelModality Modality => ModelModality.Text;

        public IReadOnlyList<ModelPrediction> Predict(IReadOnlyList<string> texts)
        {
            observe(texts);
            return [.. texts.Select(t => new ModelPrediction([new HeadPrediction("label", t, Heads[0].Labels.Select(l => l == t ? 1f : 0f).ToArray())]))];
        }

        public void Dispose()
        {
        }
    }
}
