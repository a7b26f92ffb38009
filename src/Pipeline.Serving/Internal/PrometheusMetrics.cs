using System.Globalization;
using System.Text;
using Pipeline.Serving.Models;

namespace Pipeline.Serving.Internal;

/// <summary>
/// The service's metrics, written in the Prometheus text exposition format (version 0.0.4) by hand:
/// request counts and latency by route and status, batch sizes, inference time, queue depth,
/// reloads and the serving model's version.
/// </summary>
internal sealed class PrometheusMetrics
{
    private static readonly double[] LatencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly double[] BatchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

    private readonly Lock _lock = new();
    private readonly Dictionary<(string Route, string Method, int Status), Histogram> _requests = [];
    private readonly Dictionary<string, long> _reloads = new(StringComparer.Ordinal);
    private readonly Histogram _batchSizes = new(BatchBuckets);
    private readonly Histogram _inference = new(LatencyBuckets);
    private long _rejected;
    private ModelDescriptor? _model;

    /// <summary>Requests waiting for the batcher now; read at scrape time.</summary>
    public Func<int> QueueDepth { get; set; } = () => 0;

    public void ObserveRequest(string route, string method, int status, double seconds)
    {
        lock (_lock)
        {
            if (!_requests.TryGetValue((route, method, status), out var histogram))
            {
                histogram = new Histogram(LatencyBuckets);
                _requests[(route, method, status)] = histogram;
            }

            histogram.Observe(seconds);
        }
    }

    public void ObserveBatch(int size, double inferenceSeconds)
    {
        lock (_lock)
        {
            _batchSizes.Observe(size);
            _inference.Observe(inferenceSeconds);
        }
    }

    public void CountRejected()
    {
        lock (_lock)
        {
            _rejected++;
        }
    }

    public void CountReload(string result)
    {
        lock (_lock)
        {
            _reloads[result] = _reloads.GetValueOrDefault(result) + 1;
        }
    }

    public void SetModel(ModelDescriptor descriptor)
    {
        lock (_lock)
        {
            _model = descriptor;
        }
    }

    /// <summary>The exposition text; content type <c>text/plain; version=0.0.4</c>.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        lock (_lock)
        {
            text.Append("# HELP pipeline_http_requests_total HTTP requests answered, by route, method and status.\n");
            text.Append("# TYPE pipeline_http_requests_total counter\n");
            foreach (var ((route, method, status), h) in Sorted())
            {
                text.Append(CultureInfo.InvariantCulture, $"pipeline_http_requests_total{{{Labels(route, method, status)}}} {h.Count}\n");
            }

            text.Append("# HELP pipeline_http_request_duration_seconds Time from request to response, by route, method and status.\n");
            text.Append("# TYPE pipeline_http_request_duration_seconds histogram\n");
            foreach (var ((route, method, status), h) in Sorted())
            {
                h.Write(text, "pipeline_http_request_duration_seconds", Labels(route, method, status));
            }

            text.Append("# HELP pipeline_batch_size Input texts per model call.\n");
            text.Append("# TYPE pipeline_batch_size histogram\n");
            _batchSizes.Write(text, "pipeline_batch_size", "");
            text.Append("# HELP pipeline_inference_duration_seconds Time of one model call (tokenise, run, softmax).\n");
            text.Append("# TYPE pipeline_inference_duration_seconds histogram\n");
            _inference.Write(text, "pipeline_inference_duration_seconds", "");
            text.Append("# HELP pipeline_queue_depth Requests waiting for the batcher.\n");
            text.Append("# TYPE pipeline_queue_depth gauge\n");
            text.Append(CultureInfo.InvariantCulture, $"pipeline_queue_depth {QueueDepth()}\n");
            text.Append("# HELP pipeline_queue_rejections_total Requests answered 503 because the queue was full.\n");
            text.Append("# TYPE pipeline_queue_rejections_total counter\n");
            text.Append(CultureInfo.InvariantCulture, $"pipeline_queue_rejections_total {_rejected}\n");
            text.Append("# HELP pipeline_model_reloads_total Model reload attempts, by result.\n");
            text.Append("# TYPE pipeline_model_reloads_total counter\n");
            foreach (var (result, count) in _reloads.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture, $"pipeline_model_reloads_total{{result=\"{Escape(result)}\"}} {count}\n");
            }

            text.Append("# HELP pipeline_model_info The model version serving now (value 1).\n");
            text.Append("# TYPE pipeline_model_info gauge\n");
            if (_model is { } m)
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"pipeline_model_info{{name=\"{Escape(m.Name)}\",version=\"{Escape(m.Version)}\",alias=\"{Escape(m.Alias ?? "")}\",commit=\"{Escape(m.Commit ?? "")}\"}} 1\n");
            }
        }

        return text.ToString();
    }

    private IOrderedEnumerable<KeyValuePair<(string Route, string Method, int Status), Histogram>> Sorted() =>
        _requests.OrderBy(r => r.Key.Route, StringComparer.Ordinal).ThenBy(r => r.Key.Method, StringComparer.Ordinal).ThenBy(r => r.Key.Status);

    private static string Labels(string route, string method, int status) =>
        string.Create(CultureInfo.InvariantCulture, $"route=\"{Escape(route)}\",method=\"{Escape(method)}\",status=\"{status}\"");

    /// <summary>Label values escape backslash, double quote and newline.</summary>
    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : value.ToString("R", CultureInfo.InvariantCulture);

    private sealed class Histogram(double[] bounds)
    {
        private readonly long[] _buckets = new long[bounds.Length];
        private double _sum;

        public long Count { get; private set; }

        public void Observe(double value)
        {
            for (var i = 0; i < bounds.Length; i++)
            {
                if (value <= bounds[i])
                {
                    _buckets[i]++;
                }
            }

            _sum += value;
            Count++;
        }

        public void Write(StringBuilder text, string name, string labels)
        {
            var prefix = labels.Length == 0 ? "" : labels + ",";
            for (var i = 0; i < bounds.Length; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{prefix}le=\"{Number(bounds[i])}\"}} {_buckets[i]}\n");
            }

            text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{prefix}le=\"+Inf\"}} {Count}\n");
            var braces = labels.Length == 0 ? "" : "{" + labels + "}";
            text.Append(CultureInfo.InvariantCulture, $"{name}_sum{braces} {Number(_sum)}\n");
            text.Append(CultureInfo.InvariantCulture, $"{name}_count{braces} {Count}\n");
        }
    }
}
