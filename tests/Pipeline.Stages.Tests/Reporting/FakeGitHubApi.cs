using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Pipeline.Stages.Tests.Reporting;

/// <summary>
/// The few GitHub REST calls the publisher uses, on Kestrel at 127.0.0.1 and a free port:
/// list, create and update issue comments under <c>/api/v3</c> (Octokit's path for a non-github.com host).
/// </summary>
public sealed class FakeGitHubApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<long, (int Issue, string Body)> _comments = new();
    private long _nextId = 1000;

    private FakeGitHubApi(WebApplication app) => _app = app;

    public string Token { get; } = "ghs_test_" + Guid.NewGuid().ToString("N");

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>When set, every call answers 403 with GitHub's message for a read-only token.</summary>
    public bool Forbid { get; set; }

    public ConcurrentQueue<string> Calls { get; } = new();

    public IReadOnlyDictionary<long, (int Issue, string Body)> Comments => _comments;

    public static async Task<FakeGitHubApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var api = new FakeGitHubApi(app);
        app.Use(async (context, next) =>
        {
            api.Calls.Enqueue($"{context.Request.Method} {context.Request.Path}");
            var authorization = context.Request.Headers.Authorization.ToString();
            if (!authorization.EndsWith(" " + api.Token, StringComparison.Ordinal))
            {
                await Error(context, 401, "Bad credentials");
                return;
            }

            if (api.Forbid)
            {
                await Error(context, 403, "Resource not accessible by integration");
                return;
            }

            await next(context);
        });
        app.MapGet("/api/v3/repos/{owner}/{repo}/issues/{number:int}/comments", (HttpContext context, int number) =>
            Json(context, 200, api._comments.Where(c => c.Value.Issue == number).OrderBy(c => c.Key).Select(c => api.Comment(context, c.Key)).ToList()));
        app.MapPost("/api/v3/repos/{owner}/{repo}/issues/{number:int}/comments", async (HttpContext context, int number) =>
        {
            var body = await ReadBody(context);
            var id = Interlocked.Increment(ref api._nextId);
            api._comments[id] = (number, body);
            await Json(context, 201, api.Comment(context, id));
        });
        app.MapMethods("/api/v3/repos/{owner}/{repo}/issues/comments/{id:long}", ["PATCH"], async (HttpContext context, long id) =>
        {
            if (!api._comments.TryGetValue(id, out var comment))
            {
                await Error(context, 404, "Not Found");
                return;
            }

            api._comments[id] = (comment.Issue, await ReadBody(context));
            await Json(context, 200, api.Comment(context, id));
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        api.BaseUrl = new Uri(address + "/");
        return api;
    }

    /// <summary>A comment someone else wrote on the pull request, which the publisher must leave alone.</summary>
    public void AddHumanComment(int issue, string body) => _comments[Interlocked.Increment(ref _nextId)] = (issue, body);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private Dictionary<string, object> Comment(HttpContext context, long id) => new()
    {
        ["id"] = id,
        ["node_id"] = "IC_" + id.ToString(CultureInfo.InvariantCulture),
        ["url"] = $"http://{context.Request.Host}/api/v3/repos/acme/intents/issues/comments/{id}",
        ["html_url"] = $"https://github.example/acme/intents/pull/{_comments[id].Issue}#issuecomment-{id}",
        ["body"] = _comments[id].Body,
        ["user"] = new Dictionary<string, object> { ["login"] = "github-actions[bot]", ["id"] = 41898282 },
        ["created_at"] = "2026-11-29T14:00:00Z",
        ["updated_at"] = "2026-11-29T14:00:00Z",
    };

    private static async Task<string> ReadBody(HttpContext context)
    {
        using var document = await JsonDocument.ParseAsync(context.Request.Body);
        return document.RootElement.GetProperty("body").GetString()!;
    }

    private static Task Json(HttpContext context, int status, object value)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(value));
    }

    private static Task Error(HttpContext context, int status, string message) =>
        Json(context, status, new Dictionary<string, string> { ["message"] = message, ["documentation_url"] = "https://docs.github.com/rest" });
}
