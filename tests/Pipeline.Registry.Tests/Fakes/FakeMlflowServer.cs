using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Pipeline.Registry.Tests.Fakes;

/// <summary>
/// An in-process MLflow server on Kestrel (127.0.0.1, a free port) that follows MLFLOW.md's
/// wire contract: JSON errors with MLflow's codes and statuses (RESOURCE_ALREADY_EXISTS is
/// 400), the Content-Type check, DELETE with a JSON body, log-batch limits, page tokens,
/// versions that start PENDING_REGISTRATION, the artifact proxy, HTML 404s for unknown routes.
/// Its storage is a <see cref="LocalRegistry"/> in a temp folder; the HTTP layer is its own.
/// </summary>
public sealed partial class FakeMlflowServer : IAsyncDisposable
{
    private const string Api = "/api/2.0/mlflow/";
    private const string Artifacts = "/api/2.0/mlflow-artifacts/artifacts";
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<(string, int), DateTimeOffset> _readyAt = new();
    private int _failNextRequests;
    private int _failAfterCreatingVersions;

    private FakeMlflowServer(WebApplication app, string root)
    {
        _app = app;
        Root = root;
        Store = new LocalRegistry(Path.Combine(root, "store"));
        ArtifactStore = Path.Combine(root, "mlartifacts");
    }

    public Uri BaseUri { get; private set; } = null!;

    public string Root { get; }

    public LocalRegistry Store { get; }

    public string ArtifactStore { get; }

    /// <summary>How long a new version stays PENDING_REGISTRATION.</summary>
    public TimeSpan PendingFor { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>When set, requests without exactly this Authorization header get 401.</summary>
    public string? RequiredAuthorization { get; set; }

    /// <summary>Every request as "METHOD /path".</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Every Authorization header seen.</summary>
    public ConcurrentQueue<string> AuthorizationHeaders { get; } = new();

    /// <summary>Sizes of each accepted log-batch request.</summary>
    public ConcurrentQueue<(int Metrics, int Params, int Tags)> Batches { get; } = new();

    public int Count(string request) => Requests.Count(r => r == request);

    /// <summary>The next <paramref name="count"/> requests answer 503 with Retry-After: 0.</summary>
    public void FailNextRequests(int count) => Volatile.Write(ref _failNextRequests, count);

    /// <summary>The next <paramref name="count"/> model-versions/create calls create the version, then drop the connection.</summary>
    public void FailAfterCreatingVersions(int count) => Volatile.Write(ref _failAfterCreatingVersions, count);

    /// <summary>Starts the server; with <paramref name="certificate"/> it serves HTTPS only.</summary>
    public static async Task<FakeMlflowServer> StartAsync(X509Certificate2? certificate = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "fake-mlflow-" + Guid.NewGuid().ToString("N")[..8]);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeMlflowServer(app, root);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUri = new Uri(address);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Store.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        Requests.Enqueue(request.Method + " " + path);
        var auth = request.Headers.Authorization.ToString();
        AuthorizationHeaders.Enqueue(auth);
        if (RequiredAuthorization is not null && auth != RequiredAuthorization)
        {
            await ErrorAsync(context, "UNAUTHENTICATED", "You are not authenticated. Please see https://www.mlflow.org/docs/latest/auth/index.html.");
            return;
        }

        if (Interlocked.Decrement(ref _failNextRequests) >= 0)
        {
            context.Response.StatusCode = 503;
            context.Response.Headers.RetryAfter = "0";
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("Service Unavailable");
            return;
        }

        try
        {
            if (path.StartsWith(Artifacts, StringComparison.Ordinal))
            {
                await HandleArtifactAsync(context, path[Artifacts.Length..].TrimStart('/'));
            }
            else if (path.StartsWith(Api, StringComparison.Ordinal))
            {
                var args = await ArgsAsync(context);
                if (args is null)
                {
                    return;
                }

                var answer = await HandleApiAsync(context, request.Method + " " + path[Api.Length..], args.Value);
                if (answer is null)
                {
                    return;
                }

                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(answer.ToJsonString());
            }
            else
            {
                context.Response.StatusCode = 404;
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.WriteAsync("<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n");
            }
        }
        catch (ParamValueChangedException ex)
        {
            await ErrorAsync(context, MlflowErrorCodes.InvalidParameterValue,
                $"Changing param values is not allowed. Params were already logged='[{{'key': '{ex.Key}', 'old_value': '{ex.OldValue}', 'new_value': '{ex.NewValue}'}}]' for run ID='{ex.RunId}'.");
        }
        catch (MlflowApiException ex) when (ex.ErrorCode.Length > 0)
        {
            await ErrorAsync(context, ex.ErrorCode, ex.ServerMessage);
        }
    }

    private static async Task<JsonElement?> ArgsAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method))
        {
            // GET: arguments from the query string (repeated keys become arrays).
            var o = new JsonObject();
            foreach (var (key, values) in request.Query)
            {
                o[key] = values.Count == 1 ? JsonValue.Create(values[0]) : new JsonArray(values.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray());
            }

            return JsonDocument.Parse(o.ToJsonString()).RootElement;
        }

        if (request.ContentType is null || !request.ContentType.StartsWith("application/json", StringComparison.Ordinal))
        {
            await ErrorAsync(context, MlflowErrorCodes.InvalidParameterValue, "Bad Request. Content-Type header is missing.");
            return null;
        }

        using var doc = await JsonDocument.ParseAsync(request.Body);
        return doc.RootElement.Clone();
    }

    private static async Task ErrorAsync(HttpContext context, string code, string message)
    {
        context.Response.StatusCode = MlflowErrorCodes.HttpStatusOf(code);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(new JsonObject { ["error_code"] = code, ["message"] = message }.ToJsonString());
    }

    private static string Required(JsonElement args, string name)
    {
        if (!args.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null || (value.ValueKind == JsonValueKind.String && value.GetString()!.Length == 0))
        {
            throw new MlflowApiException("fake", 400, MlflowErrorCodes.InvalidParameterValue, $"Missing value for required parameter '{name}'. See the API docs for more information about request parameters.");
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
    }

    private static string? Optional(JsonElement args, string name) =>
        args.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? (v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText()) : null;

    private static int Int(JsonElement args, string name, int fallback) =>
        Optional(args, name) is { } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : fallback;

    private static Dictionary<string, string> Tags(JsonElement args, string name = "tags") => MlflowJson.TagList(args, name);
}
