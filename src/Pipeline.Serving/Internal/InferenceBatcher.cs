using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Pipeline.Serving.Models;

namespace Pipeline.Serving.Internal;

/// <summary>The answer to one request: a prediction per input and the model version that made them.</summary>
internal sealed record BatchAnswer(ModelDescriptor Model, IReadOnlyList<ModelHead> Heads, IReadOnlyList<ModelPrediction> Predictions);

/// <summary>The queue is full; the caller answers 503 with Retry-After.</summary>
internal sealed class QueueFullException : Exception
{
    public QueueFullException()
        : base("The request queue is full.")
    {
    }

    public QueueFullException(string message)
        : base(message)
    {
    }

    public QueueFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Dynamic batching: one background loop takes the first queued request, gathers more until a
/// batch is full or the wait is over (and whatever else is already queued, up to four batches),
/// sorts the texts by length so each model call pads little, runs the model in calls of at most the
/// batch size on one lease (so one request is answered by one version), and completes each request.
/// </summary>
internal sealed partial class InferenceBatcher : IAsyncDisposable
{
    /// <summary>
    /// A window takes up to this many batches' worth of queued texts, so sorting by length can
    /// group similar lengths across requests (padding to the longest doubles the tokens otherwise).
    /// </summary>
    private const int WindowBatches = 4;

    private readonly Channel<Pending> _queue;
    private readonly ModelHolder _models;
    private readonly PrometheusMetrics _metrics;
    private readonly ILogger _logger;
    private readonly int _maxBatch;
    private readonly TimeSpan _maxWait;
    private readonly Task _loop;
    private int _depth;

    public InferenceBatcher(ServingOptions options, ModelHolder models, PrometheusMetrics metrics, ILogger logger)
    {
        _models = models;
        _metrics = metrics;
        _logger = logger;
        _maxBatch = options.MaxBatchSize;
        _maxWait = TimeSpan.FromMilliseconds(options.MaxBatchWaitMilliseconds);
        _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = false, // a timed-out WaitToReadAsync may still be pending when the next one starts
            FullMode = BoundedChannelFullMode.Wait,
        });
        _metrics.QueueDepth = () => Volatile.Read(ref _depth);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Queues the texts; throws <see cref="QueueFullException"/> at once when the queue is full.</summary>
    public Task<BatchAnswer> PredictAsync(IReadOnlyList<string> texts)
    {
        var pending = new Pending(texts);
        Interlocked.Increment(ref _depth);
        if (!_queue.Writer.TryWrite(pending))
        {
            Interlocked.Decrement(ref _depth);
            _metrics.CountRejected();
            throw new QueueFullException();
        }

        return pending.Completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        List<Pending> window = [];
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            window.Clear();
            var texts = 0;
            var deadline = Stopwatch.GetTimestamp() + (long)(_maxWait.TotalSeconds * Stopwatch.Frequency);
            while (texts < _maxBatch * WindowBatches)
            {
                if (reader.TryRead(out var next))
                {
                    Interlocked.Decrement(ref _depth);
                    window.Add(next);
                    texts += next.Texts.Count;
                    continue;
                }

                var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
                if (window.Count == 0 || texts >= _maxBatch || remaining <= TimeSpan.Zero)
                {
                    break;
                }

                var more = reader.WaitToReadAsync().AsTask();
                if (await Task.WhenAny(more, Task.Delay(remaining)).ConfigureAwait(false) != more || !await more.ConfigureAwait(false))
                {
                    break;
                }
            }

            try
            {
                Run(window);
            }
#pragma warning disable CA1031 // Whatever goes wrong fails this window's requests; the loop must keep serving.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogWindowFailed(_logger, window.Count, e);
                foreach (var p in window)
                {
                    p.Completion.TrySetException(e);
                }
            }
        }
    }

    private void Run(List<Pending> window)
    {
        using var lease = _models.Acquire();
        if (lease is null)
        {
            foreach (var p in window)
            {
                p.Completion.TrySetException(new ServingException("No model is loaded yet."));
            }

            return;
        }

        var model = lease.Model;
        var items = window
            .SelectMany((p, r) => p.Texts.Select((t, i) => (Request: r, Index: i, Text: t)))
            .OrderBy(x => x.Text.Length)
            .ToList();
        var results = window.Select(p => new ModelPrediction?[p.Texts.Count]).ToArray();
        var failed = new Exception?[window.Count];
        for (var start = 0; start < items.Count; start += _maxBatch)
        {
            var chunk = items.GetRange(start, Math.Min(_maxBatch, items.Count - start));
            var started = Stopwatch.GetTimestamp();
            try
            {
                var predictions = model.Predict([.. chunk.Select(c => c.Text)]);
                if (predictions.Count != chunk.Count)
                {
                    throw new ServingException($"Model {model.Descriptor.Name} v{model.Descriptor.Version} returned {predictions.Count} predictions for {chunk.Count} inputs.");
                }

                for (var k = 0; k < chunk.Count; k++)
                {
                    results[chunk[k].Request][chunk[k].Index] = predictions[k];
                }
            }
#pragma warning disable CA1031 // A model failure fails the requests in this call, never the batcher loop.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogModelFailed(_logger, model.Descriptor.Name, model.Descriptor.Version, chunk.Count, e);
                foreach (var c in chunk)
                {
                    failed[c.Request] ??= e;
                }
            }

            _metrics.ObserveBatch(chunk.Count, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }

        for (var r = 0; r < window.Count; r++)
        {
            if (failed[r] is { } error)
            {
                window[r].Completion.TrySetException(error);
            }
            else
            {
                window[r].Completion.TrySetResult(new BatchAnswer(model.Descriptor, model.Heads, results[r]!));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A batch window of {Count} requests failed")]
    private static partial void LogWindowFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Name} v{Version} failed on a batch of {Count} inputs")]
    private static partial void LogModelFailed(ILogger logger, string name, string version, int count, Exception exception);

    private sealed class Pending(IReadOnlyList<string> texts)
    {
        public IReadOnlyList<string> Texts { get; } = texts;

        public TaskCompletionSource<BatchAnswer> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
