namespace Pipeline.Serving;

/// <summary>
/// How the model service runs. Immutable; every value has a default that suits one CPU pod and a
/// valid range checked by <see cref="Validate"/>.
/// </summary>
public sealed record ServingOptions
{
    /// <summary>What to serve: <c>models:/NAME@ALIAS</c>, <c>models:/NAME/VERSION</c> or a local model folder. Required.</summary>
    public required string Model { get; init; }

    /// <summary>Most input texts run through the model at once. Default 32; range [1, 1024].</summary>
    public int MaxBatchSize { get; init; } = 32;

    /// <summary>
    /// How long the batcher waits for more requests after the first one arrives. Default 0 ms: run
    /// whatever is queued at once, so a lone request pays no wait, and under load the requests that
    /// queue while one batch runs form the next batch. Range [0, 1000].
    /// </summary>
    public int MaxBatchWaitMilliseconds { get; init; }

    /// <summary>Requests waiting for the batcher before new ones get 503 with Retry-After. Default 256; range [1, 100000].</summary>
    public int QueueCapacity { get; init; } = 256;

    /// <summary>Most texts in one request; more answers 413. Default 64; range [1, 10000].</summary>
    public int MaxInputsPerRequest { get; init; } = 64;

    /// <summary>Most characters in one text; longer answers 413. Default 10000; range [1, 1000000].</summary>
    public int MaxTextLength { get; init; } = 10_000;

    /// <summary>Largest request body in bytes; larger answers 413. Default 1 MiB; range [1 KiB, 64 MiB].</summary>
    public long MaxRequestBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>How often the alias is checked for a new version. Default 30 s; <see cref="TimeSpan.Zero"/> turns polling off; at least 100 ms otherwise.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Seconds a 503 tells clients to wait (Retry-After). Default 1; range [1, 3600].</summary>
    public int RetryAfterSeconds { get; init; } = 1;

    /// <summary>Environment variable holding the bearer token for <c>POST /admin/reload</c>; when unset or empty, reloads over HTTP are refused (403). Default <c>PIPELINE_ADMIN_TOKEN</c>.</summary>
    public string AdminTokenVariable { get; init; } = "PIPELINE_ADMIN_TOKEN";

    /// <summary>The text a new version must classify before it takes over. Default <c>smoke test</c>.</summary>
    public string SmokeText { get; init; } = "smoke test";

    /// <summary>Throws <see cref="ServingException"/> naming every value out of range.</summary>
    public void Validate()
    {
        List<string> problems = [];
        Check(!string.IsNullOrWhiteSpace(Model), $"{nameof(Model)} is required: models:/NAME@ALIAS, models:/NAME/VERSION or a model folder.");
        Check(MaxBatchSize is >= 1 and <= 1024, $"{nameof(MaxBatchSize)} must be in [1, 1024], got {MaxBatchSize}.");
        Check(MaxBatchWaitMilliseconds is >= 0 and <= 1000, $"{nameof(MaxBatchWaitMilliseconds)} must be in [0, 1000], got {MaxBatchWaitMilliseconds}.");
        Check(QueueCapacity is >= 1 and <= 100_000, $"{nameof(QueueCapacity)} must be in [1, 100000], got {QueueCapacity}.");
        Check(MaxInputsPerRequest is >= 1 and <= 10_000, $"{nameof(MaxInputsPerRequest)} must be in [1, 10000], got {MaxInputsPerRequest}.");
        Check(MaxTextLength is >= 1 and <= 1_000_000, $"{nameof(MaxTextLength)} must be in [1, 1000000], got {MaxTextLength}.");
        Check(MaxRequestBodyBytes is >= 1024 and <= 64L * 1024 * 1024, $"{nameof(MaxRequestBodyBytes)} must be in [1024, 67108864], got {MaxRequestBodyBytes}.");
        Check(PollInterval == TimeSpan.Zero || PollInterval >= TimeSpan.FromMilliseconds(100), $"{nameof(PollInterval)} must be 0 (off) or at least 100 ms, got {PollInterval}.");
        Check(RetryAfterSeconds is >= 1 and <= 3600, $"{nameof(RetryAfterSeconds)} must be in [1, 3600], got {RetryAfterSeconds}.");
        Check(!string.IsNullOrWhiteSpace(AdminTokenVariable), $"{nameof(AdminTokenVariable)} must name an environment variable.");
        Check(!string.IsNullOrWhiteSpace(SmokeText), $"{nameof(SmokeText)} must not be empty.");
        if (problems.Count > 0)
        {
            throw new ServingException("Invalid serving options: " + string.Join(" ", problems));
        }

        void Check(bool ok, string problem)
        {
            if (!ok)
            {
                problems.Add(problem);
            }
        }
    }
}
