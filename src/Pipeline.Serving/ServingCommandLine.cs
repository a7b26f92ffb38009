using System.Globalization;

namespace Pipeline.Serving;

/// <summary>
/// The service's command line, shared by the build's <c>Serve</c> target and the container's entry
/// point: <c>--model REF --urls URL[;URL]</c> plus the <see cref="ServingOptions"/> knobs. Each option
/// falls back to an environment variable (<c>--max-batch-size</c> → <c>PIPELINE_SERVING_MAX_BATCH_SIZE</c>),
/// then to its default, so a Kubernetes manifest can set them as <c>env</c>.
/// </summary>
public static class ServingCommandLine
{
    /// <summary>Where the service listens when neither <c>--urls</c> nor <c>PIPELINE_SERVING_URLS</c> says.</summary>
    public const string DefaultUrls = "http://127.0.0.1:8080";

    private static readonly string[] Known =
        ["--model", "--urls", "--max-batch-size", "--max-batch-wait-ms", "--queue-capacity", "--max-inputs", "--max-text-length", "--max-body-bytes", "--poll-seconds"];

    /// <summary>Parses <paramref name="args"/>; <paramref name="environment"/> reads variables (default: the process environment).</summary>
    /// <exception cref="ServingException">An unknown option, a missing value, or a value that is not a number; the message names the option.</exception>
    public static (ServingOptions Options, IReadOnlyList<string> Urls) Parse(IReadOnlyList<string> args, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        environment ??= Environment.GetEnvironmentVariable;
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            string? value = null;
            if (equals > 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }

            if (!Known.Contains(name, StringComparer.Ordinal))
            {
                throw new ServingException($"Unknown option '{name}'. Known options: {string.Join(", ", Known)}.");
            }

            if (value is null)
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new ServingException($"Option '{name}' needs a value, e.g. {name} {Example(name)}.");
                }

                value = args[++i];
            }

            given[name] = value;
        }

        string? Get(string option) => given.TryGetValue(option, out var v) ? v
            : environment("PIPELINE_SERVING_" + option[2..].Replace('-', '_').ToUpperInvariant()) is { Length: > 0 } e ? e : null;

        int Int(string option, int fallback) => Get(option) is { } text
            ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n
                : throw new ServingException($"Option '{option}' must be an integer, got '{text}'.")
            : fallback;

        var defaults = new ServingOptions { Model = "" };
        var model = Get("--model") ?? throw new ServingException(
            "No model to serve: pass --model models:/NAME@champion, --model models:/NAME/3 or --model path/to/model-folder (or set PIPELINE_SERVING_MODEL).");
        var options = defaults with
        {
            Model = model,
            MaxBatchSize = Int("--max-batch-size", defaults.MaxBatchSize),
            MaxBatchWaitMilliseconds = Int("--max-batch-wait-ms", defaults.MaxBatchWaitMilliseconds),
            QueueCapacity = Int("--queue-capacity", defaults.QueueCapacity),
            MaxInputsPerRequest = Int("--max-inputs", defaults.MaxInputsPerRequest),
            MaxTextLength = Int("--max-text-length", defaults.MaxTextLength),
            MaxRequestBodyBytes = Int("--max-body-bytes", (int)defaults.MaxRequestBodyBytes),
            PollInterval = TimeSpan.FromSeconds(Int("--poll-seconds", (int)defaults.PollInterval.TotalSeconds)),
        };
        options.Validate();
        var urls = (Get("--urls") ?? DefaultUrls).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return (options, urls);
    }

    private static string Example(string option) => option switch
    {
        "--model" => "models:/support-intent@champion",
        "--urls" => DefaultUrls,
        _ => "32",
    };
}
