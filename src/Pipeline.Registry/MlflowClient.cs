using System.Globalization;
using System.Net.Security;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Pipeline.Registry;

/// <summary>
/// A typed client for MLflow's REST API (see MLFLOW.md): JSON bodies on POST/PATCH/DELETE,
/// query strings on GET, retries with exponential backoff and jitter on connection errors,
/// 408, 429 and 5xx (honouring Retry-After), and no blind retry of <c>model-versions/create</c>.
/// </summary>
public sealed partial class MlflowClient : IMlflowClient
{
    private const string ApiPrefix = "api/2.0/mlflow/";
    private const string ArtifactsPrefix = "api/2.0/mlflow-artifacts/artifacts";

    private readonly HttpClient _http;
    private readonly MlflowClientOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates a client; <paramref name="handler"/> is for tests and proxies (the client disposes it).</summary>
    public MlflowClient(MlflowClientOptions options, ILogger? logger = null, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        var baseUri = new UriBuilder(options.TrackingUri) { UserName = "", Password = "", Query = "", Fragment = "" }.Uri;
        _http = new HttpClient(handler ?? CreateHandler(options), disposeHandler: true)
        {
            BaseAddress = new Uri(baseUri.AbsoluteUri.TrimEnd('/') + "/"),
            Timeout = options.RequestTimeout,
        };
        if (options.AuthorizationHeader() is { } auth)
        {
            var space = auth.IndexOf(' ', StringComparison.Ordinal);
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(auth[..space], auth[(space + 1)..]);
        }
    }

    /// <summary>The options this client was built with (secrets masked in their ToString).</summary>
    public MlflowClientOptions Options => _options;

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private static SocketsHttpHandler CreateHandler(MlflowClientOptions options)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (options.InsecureTls)
        {
#pragma warning disable CA5359 // Opt-in via MLFLOW_TRACKING_INSECURE_TLS=true, as MLflow's own client allows.
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (options.ServerCertPath is { } caPath)
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(caPath);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (errors == SslPolicyErrors.None)
                {
                    return true;
                }

                if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                using var leaf = new X509Certificate2(certificate);
                return chain.Build(leaf);
            };
        }

        if (options.ClientCertPath is { } clientPath)
        {
            handler.SslOptions.ClientCertificates = [X509Certificate2.CreateFromPemFile(clientPath)];
        }

        return handler;
    }

    private async Task<JsonElement> CallAsync(
        HttpMethod method, string endpoint, JsonObject? body = null, IEnumerable<KeyValuePair<string, string>>? query = null,
        bool retry = true, CancellationToken cancellationToken = default)
    {
        var url = ApiPrefix + endpoint + QueryString(query);
        var payload = body?.ToJsonString();
        using var response = await SendAsync(
            () =>
            {
                var request = new HttpRequestMessage(method, url);
                if (payload is not null)
                {
                    request.Content = new StringContent(payload, Encoding.UTF8, "application/json");
                }

                return request;
            },
            $"{method} /{ApiPrefix}{endpoint}",
            retry,
            HttpCompletionOption.ResponseContentRead,
            cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "{}" : text);
        return doc.RootElement.Clone();
    }

    private static string QueryString(IEnumerable<KeyValuePair<string, string>>? query)
    {
        if (query is null)
        {
            return "";
        }

        var parts = query.Select(q => Uri.EscapeDataString(q.Key) + "=" + Uri.EscapeDataString(q.Value)).ToList();
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    private async Task<HttpResponseMessage> SendAsync(
        Func<HttpRequestMessage> createRequest, string endpoint, bool retry, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            HttpResponseMessage response;
            try
            {
                using var request = createRequest();
                response = await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                var reason = ex is TaskCanceledException
                    ? $"no answer within {_options.RequestTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s"
                    : "connection failed: " + ex.Message;
                var failure = new MlflowApiException(endpoint, 0, "", reason, ex);
                if (!retry || attempt >= _options.MaxRetries)
                {
                    throw failure;
                }

                await DelayAsync(attempt, null, endpoint, reason, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            var status = (int)response.StatusCode;
            if (retry && attempt < _options.MaxRetries && status is 408 or 429 or 500 or 502 or 503 or 504)
            {
                var retryAfter = RetryAfter(response);
                response.Dispose();
                await DelayAsync(attempt, retryAfter, endpoint, "HTTP " + status.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
                continue;
            }

            using (response)
            {
                throw await ErrorFromAsync(response, endpoint, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        return header?.Date is { } date ? date - DateTimeOffset.UtcNow : null;
    }

    private async Task DelayAsync(int attempt, TimeSpan? retryAfter, string endpoint, string reason, CancellationToken cancellationToken)
    {
#pragma warning disable CA5394 // Jitter spreads retries; it needs no cryptographic randomness.
        var jitter = _options.BackoffJitter * Random.Shared.NextDouble();
#pragma warning restore CA5394
        var backoff = _options.BackoffFactor * Math.Pow(2, attempt);
        var delay = retryAfter is { } ra && ra > TimeSpan.Zero ? ra : backoff + jitter;
        if (delay > _options.MaxBackoff)
        {
            delay = _options.MaxBackoff;
        }

        _logger.LogWarning("MLflow call {Endpoint} failed ({Reason}); retry {Attempt}/{MaxRetries} in {Delay:F1} s.",
            endpoint, reason, attempt + 1, _options.MaxRetries, delay.TotalSeconds);
        await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<MlflowApiException> ErrorFromAsync(HttpResponseMessage response, string endpoint, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var doc = JsonDocument.Parse(text);
            var code = MlflowJson.Str(doc.RootElement, "error_code");
            if (code.Length > 0)
            {
                return new MlflowApiException(endpoint, status, code, MlflowJson.Str(doc.RootElement, "message"));
            }
        }
        catch (JsonException)
        {
            // Not MLflow JSON (an HTML 404, a plain-text 403 or 503): report the start of the body below.
        }

        var snippet = text.Length > 300 ? text[..300] + "..." : text;
        var type = response.Content.Headers.ContentType?.MediaType ?? "no content type";
        var hint = status switch
        {
            404 => " Is MLFLOW_TRACKING_URI the MLflow server's base URL (without /api/...)?",
            401 or 403 => " Check MLFLOW_TRACKING_USERNAME/PASSWORD or MLFLOW_TRACKING_TOKEN, and the server's --allowed-hosts.",
            503 => " Is the server running with --serve-artifacts?",
            _ => "",
        };
        return new MlflowApiException(endpoint, status, "", $"non-JSON answer ({type}): {snippet.Trim()}{hint}");
    }

    private static KeyValuePair<string, string> Q(string key, string value) => KeyValuePair.Create(key, value);

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
