using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Registry;
using Pipeline.Serving.Internal;
using Pipeline.Serving.Models;

namespace Pipeline.Serving;

/// <summary>
/// The running model service. <see cref="StartAsync"/> loads the model (failing fast when it cannot),
/// binds Kestrel, and starts the batcher and the alias poller; dispose to stop.
/// </summary>
public sealed partial class ServingHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ServingState _state;
    private readonly CancellationTokenSource _stopping;
    private readonly Task _poller;

    private ServingHost(WebApplication app, ServingState state, CancellationTokenSource stopping, Task poller)
    {
        _app = app;
        _state = state;
        _stopping = stopping;
        _poller = poller;
        Urls = [.. app.Urls.Select(u => new Uri(u))];
    }

    /// <summary>The addresses Kestrel listens on (the real port when 0 was asked for).</summary>
    public IReadOnlyList<Uri> Urls { get; }

    /// <summary>
    /// Starts the service on <paramref name="urls"/> (e.g. <c>http://127.0.0.1:8080</c>; port 0 picks a free one)
    /// serving <see cref="ServingOptions.Model"/> from <paramref name="modelSource"/>.
    /// Throws <see cref="ServingException"/> when the options are invalid or the first model cannot be loaded.
    /// </summary>
    /// <param name="options">Batching, limits, polling; <see cref="ServingOptions.Model"/> names what to serve.</param>
    /// <param name="modelSource">Resolves and loads the model, e.g. <see cref="ModelSource.Onnx"/>.</param>
    /// <param name="urls">Addresses to listen on.</param>
    /// <param name="cancellationToken">Cancels the start (the first model load included).</param>
    /// <param name="configureLogging">Adjusts logging (default: console); tests clear the providers.</param>
    public static async Task<ServingHost> StartAsync(
        ServingOptions options,
        IModelSource modelSource,
        IEnumerable<string> urls,
        CancellationToken cancellationToken,
        Action<ILoggingBuilder>? configureLogging = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(modelSource);
        ArgumentNullException.ThrowIfNull(urls);
        options.Validate();
        var reference = ModelReference.Parse(options.Model);
        var urlList = urls.ToList();
        if (urlList.Count == 0)
        {
            throw new ServingException("No URL to listen on: pass --urls, e.g. http://127.0.0.1:8080.");
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        // One line per request from ASP.NET Core would drown the service's own log; /metrics counts requests.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        configureLogging?.Invoke(builder.Logging);
        builder.WebHost.UseUrls([.. urlList]);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes);
        builder.Services.AddProblemDetails();
        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Pipeline.Serving");

        var metrics = new PrometheusMetrics();
        var holder = new ModelHolder();
        var manager = new ModelManager(options, reference, modelSource, holder, metrics, logger);
        var first = await manager.ReloadAsync(force: true, cancellationToken).ConfigureAwait(false);
        if (first.Outcome != ReloadOutcome.Swapped)
        {
            manager.Dispose();
            holder.Dispose();
            await app.DisposeAsync().ConfigureAwait(false);
            throw new ServingException($"Cannot serve {reference}: {first.Error}");
        }

        var batcher = new InferenceBatcher(options, holder, metrics, logger);
        var state = new ServingState(options, holder, manager, batcher, metrics,
            new AdminToken(Environment.GetEnvironmentVariable(options.AdminTokenVariable)));
        app.Use((context, next) => ObserveAsync(context, next, state, logger));
        Endpoints.Map(app, state);

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await batcher.DisposeAsync().ConfigureAwait(false);
            manager.Dispose();
            holder.Dispose();
            await app.DisposeAsync().ConfigureAwait(false);
            if (e is IOException)
            {
                throw new ServingException($"Cannot listen on {string.Join(", ", urlList)}: {e.Message} Pick another port with --urls.", e);
            }

            throw;
        }

        var stopping = new CancellationTokenSource();
        var poller = options.PollInterval > TimeSpan.Zero ? manager.PollAsync(stopping.Token) : Task.CompletedTask;
        var host = new ServingHost(app, state, stopping, poller);
        LogListening(logger, reference.Raw, string.Join(", ", host.Urls));
        return host;
    }

    /// <summary>
    /// Serves until SIGTERM, Ctrl+C or <paramref name="cancellationToken"/>: the one call for the
    /// build's <c>Serve</c> target and the container's program. <c>models:/</c> references resolve in
    /// the pipeline's registry (<c>MLFLOW_TRACKING_URI</c> when set, else the local store at
    /// <paramref name="localRegistryRoot"/>); versions are cached under <c>PIPELINE_MODEL_CACHE</c>
    /// (default: <c>pipeline-serving-models</c> in the temp folder). Local folders load directly. Folders
    /// with <c>model.onnx</c> run on ONNX Runtime, classifier folders without one on TorchSharp.
    /// </summary>
    public static async Task RunAsync(
        ServingOptions options,
        IReadOnlyList<string> urls,
        string localRegistryRoot,
        CancellationToken cancellationToken,
        Action<ILoggingBuilder>? configureLogging = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var registry = ModelReference.Parse(options.Model).IsRegistry ? MlflowClients.FromEnvironment(localRegistryRoot) : null;
        var cache = Environment.GetEnvironmentVariable(ModelCacheVariable) is { Length: > 0 } c
            ? c
            : Path.Combine(Path.GetTempPath(), "pipeline-serving-models");
        var source = ModelSource.Default(registry is null ? null : new RegistryModelResolver(registry, cache));
        var host = await StartAsync(options, source, urls, cancellationToken, configureLogging).ConfigureAwait(false);
        await using (host.ConfigureAwait(false))
        {
            await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Environment variable naming the folder where registry versions are downloaded.</summary>
    public const string ModelCacheVariable = "PIPELINE_MODEL_CACHE";

    /// <summary>Completes when the service is asked to stop (Ctrl+C, SIGTERM) or <paramref name="cancellationToken"/> fires.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _poller.ConfigureAwait(false);
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _state.Batcher.DisposeAsync().ConfigureAwait(false);
        _state.Manager.Dispose();
        _state.Holder.Dispose();
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>Metrics for every request, and problem answers instead of crashes for every failure.</summary>
    private static async Task ObserveAsync(HttpContext context, RequestDelegate next, ServingState state, ILogger logger)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Every failure becomes a problem response; the process keeps serving.
        catch (Exception e) when (!context.Response.HasStarted)
#pragma warning restore CA1031
        {
            var problem = e switch
            {
                RequestProblemException p => Results.Problem(statusCode: p.Status, title: p.Title, detail: p.Message,
                    extensions: p.Limit is null ? null : new Dictionary<string, object?> { ["limit"] = p.Limit, ["limit_value"] = p.LimitValue }),
                QueueFullException => Queue503(context, state),
                BadHttpRequestException b => Results.Problem(statusCode: b.StatusCode, title: "Bad request", detail: b.Message),
                OperationCanceledException when context.RequestAborted.IsCancellationRequested => Results.StatusCode(499),
                _ => Failed(e, logger),
            };
            await problem.ExecuteAsync(context).ConfigureAwait(false);
        }
        finally
        {
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            state.Metrics.ObserveRequest(route, context.Request.Method, context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    private static IResult Queue503(HttpContext context, ServingState state)
    {
        context.Response.Headers.RetryAfter = state.Options.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Problem(statusCode: 503, title: "Queue full",
            detail: $"The request queue is full (limit queue_capacity is {state.Options.QueueCapacity}); retry after {state.Options.RetryAfterSeconds} s.",
            extensions: new Dictionary<string, object?> { ["limit"] = "queue_capacity", ["limit_value"] = state.Options.QueueCapacity });
    }

    private static IResult Failed(Exception e, ILogger logger)
    {
        LogFailed(logger, e);
        return Results.Problem(statusCode: 500, title: "Prediction failed",
            detail: e is ServingException ? e.Message : "The model failed on this request; the service log has the details.");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving {Reference} on {Urls}")]
    private static partial void LogListening(ILogger logger, string reference, string urls);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
