using System.Text;

namespace Pipeline.Registry;

/// <summary>
/// How to reach an MLflow server. Secrets (password, token, credentials in the URI) never appear
/// in <see cref="ToString"/>; use <see cref="FromEnvironment"/> to read MLflow's own variables.
/// </summary>
public sealed record MlflowClientOptions
{
    /// <summary>Server base URL, e.g. <c>http://127.0.0.1:5000</c> (<c>MLFLOW_TRACKING_URI</c>). Required.</summary>
    public required Uri TrackingUri { get; init; }

    /// <summary>Basic-auth user (<c>MLFLOW_TRACKING_USERNAME</c>); with a password it takes precedence over the token.</summary>
    public string? Username { get; init; }

    /// <summary>Basic-auth password (<c>MLFLOW_TRACKING_PASSWORD</c>). Secret.</summary>
    public string? Password { get; init; }

    /// <summary>Bearer token (<c>MLFLOW_TRACKING_TOKEN</c>), used when no user and password are set. Secret.</summary>
    public string? Token { get; init; }

    /// <summary>Skip server certificate checks (<c>MLFLOW_TRACKING_INSECURE_TLS=true</c>). Default false.</summary>
    public bool InsecureTls { get; init; }

    /// <summary>CA bundle (PEM) that signs the server's certificate (<c>MLFLOW_TRACKING_SERVER_CERT_PATH</c>). Cannot be combined with <see cref="InsecureTls"/>.</summary>
    public string? ServerCertPath { get; init; }

    /// <summary>Client certificate with its key, PEM (<c>MLFLOW_TRACKING_CLIENT_CERT_PATH</c>), for mutual TLS.</summary>
    public string? ClientCertPath { get; init; }

    /// <summary>Retries of a transient failure (<c>MLFLOW_HTTP_REQUEST_MAX_RETRIES</c>). Default 7; range [0, 20].</summary>
    public int MaxRetries { get; init; } = 7;

    /// <summary>First backoff; doubles per retry (<c>MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR</c> seconds). Default 2 s.</summary>
    public TimeSpan BackoffFactor { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Largest single backoff, also the cap on Retry-After. Default 120 s.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Random extra wait of up to this much per retry (<c>MLFLOW_HTTP_REQUEST_BACKOFF_JITTER</c>). Default 1 s.</summary>
    public TimeSpan BackoffJitter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Per-request timeout (<c>MLFLOW_HTTP_REQUEST_TIMEOUT</c>). Default 120 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How often a PENDING_REGISTRATION version is polled. Default 1 s.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long model-version creation waits for READY when the caller does not say. Default 300 s, as MLflow.</summary>
    public TimeSpan AwaitCreationFor { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>
    /// Options from MLflow's environment variables; null when <c>MLFLOW_TRACKING_URI</c> is unset
    /// or empty (then the embedded <see cref="LocalRegistry"/> applies).
    /// </summary>
    public static MlflowClientOptions? FromEnvironment(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        var uri = getVariable("MLFLOW_TRACKING_URI");
        if (string.IsNullOrWhiteSpace(uri))
        {
            return null;
        }

        if (!Uri.TryCreate(uri.Trim(), UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps))
        {
            throw new Errors.PipelineException(
                $"MLFLOW_TRACKING_URI must be an http(s) URL of an MLflow server (got '{Mask(uri)}'). Unset it to use the local registry under ./mlruns.");
        }

        static double? Seconds(string? s) => double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : null;
        var defaults = new MlflowClientOptions { TrackingUri = parsed };
        return defaults with
        {
            Username = NullIfEmpty(getVariable("MLFLOW_TRACKING_USERNAME")),
            Password = NullIfEmpty(getVariable("MLFLOW_TRACKING_PASSWORD")),
            Token = NullIfEmpty(getVariable("MLFLOW_TRACKING_TOKEN")),
            InsecureTls = string.Equals(getVariable("MLFLOW_TRACKING_INSECURE_TLS"), "true", StringComparison.OrdinalIgnoreCase),
            ServerCertPath = NullIfEmpty(getVariable("MLFLOW_TRACKING_SERVER_CERT_PATH")),
            ClientCertPath = NullIfEmpty(getVariable("MLFLOW_TRACKING_CLIENT_CERT_PATH")),
            MaxRetries = int.TryParse(getVariable("MLFLOW_HTTP_REQUEST_MAX_RETRIES"), out var r) ? Math.Clamp(r, 0, 20) : defaults.MaxRetries,
            BackoffFactor = Seconds(getVariable("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR")) is { } f ? TimeSpan.FromSeconds(f) : defaults.BackoffFactor,
            BackoffJitter = Seconds(getVariable("MLFLOW_HTTP_REQUEST_BACKOFF_JITTER")) is { } j ? TimeSpan.FromSeconds(j) : defaults.BackoffJitter,
            RequestTimeout = Seconds(getVariable("MLFLOW_HTTP_REQUEST_TIMEOUT")) is { } t ? TimeSpan.FromSeconds(t) : defaults.RequestTimeout,
        };
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first value outside its documented range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRetries, nameof(MaxRetries));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxRetries, 20, nameof(MaxRetries));
        ArgumentOutOfRangeException.ThrowIfLessThan(BackoffFactor, TimeSpan.Zero, nameof(BackoffFactor));
        ArgumentOutOfRangeException.ThrowIfLessThan(BackoffJitter, TimeSpan.Zero, nameof(BackoffJitter));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBackoff, TimeSpan.Zero, nameof(MaxBackoff));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestTimeout, TimeSpan.Zero, nameof(RequestTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PollInterval, TimeSpan.Zero, nameof(PollInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(AwaitCreationFor, TimeSpan.Zero, nameof(AwaitCreationFor));
        if (InsecureTls && ServerCertPath is not null)
        {
            throw new ArgumentException(
                "MLFLOW_TRACKING_INSECURE_TLS=true cannot be combined with MLFLOW_TRACKING_SERVER_CERT_PATH: either trust the given CA or skip verification.", nameof(ServerCertPath));
        }

        if (TrackingUri.Scheme != Uri.UriSchemeHttp && TrackingUri.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentOutOfRangeException(nameof(TrackingUri), Mask(TrackingUri.OriginalString), "The tracking URI must be http:// or https://.");
        }
    }

    /// <summary>The Authorization header value, or null: basic auth wins over the token, as in MLflow.</summary>
    internal string? AuthorizationHeader() =>
        Username is not null && Password is not null
            ? "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(Username + ":" + Password))
            : Token is not null ? "Bearer " + Token : null;

    /// <summary>The URI with any user-info replaced by <c>***</c>.</summary>
    internal static string Mask(string uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var u) && u.UserInfo.Length > 0
            ? uri.Replace(u.UserInfo, "***", StringComparison.Ordinal)
            : uri;

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("TrackingUri = ").Append(Mask(TrackingUri.OriginalString))
            .Append(", Username = ").Append(Username ?? "(none)")
            .Append(", Password = ").Append(Password is null ? "(none)" : "***")
            .Append(", Token = ").Append(Token is null ? "(none)" : "***")
            .Append(", InsecureTls = ").Append(InsecureTls)
            .Append(", ServerCertPath = ").Append(ServerCertPath ?? "(none)")
            .Append(", ClientCertPath = ").Append(ClientCertPath ?? "(none)")
            .Append(", MaxRetries = ").Append(MaxRetries)
            .Append(", RequestTimeout = ").Append(RequestTimeout);
        return true;
    }
}
