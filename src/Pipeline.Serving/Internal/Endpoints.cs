using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Serving.Models;

namespace Pipeline.Serving.Internal;

/// <summary>The service's routes (see <see cref="ServingRoutes"/>).</summary>
internal static class Endpoints
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static void Map(WebApplication app, ServingState state)
    {
        app.MapPost(ServingRoutes.Predict, async (HttpContext context) =>
        {
            var answer = await RunAsync(context, state, RequestReader.PredictInputs, allowUploads: true).ConfigureAwait(false);
            return Results.Json(new
            {
                Model = new { answer.Model.Name, answer.Model.Version, answer.Model.Alias },
                Predictions = answer.Predictions.Select(p => new
                {
                    p.Heads[0].Label,
                    p.Heads[0].Score,
                    Heads = p.Heads.Select((h, i) => (h, i)).ToDictionary(x => x.h.Head, x => new
                    {
                        x.h.Label,
                        x.h.Score,
                        x.h.Labels,
                        Scores = Scores(answer.Heads[x.i], x.h),
                    }),
                }),
            }, Json);
        });

        app.MapPost(ServingRoutes.Invocations, async (HttpContext context) =>
        {
            var answer = await RunAsync(context, state, RequestReader.InvocationInputs, allowUploads: false).ConfigureAwait(false);
            context.Response.Headers["X-Model-Version"] = answer.Model.Version;
            // Single-label heads answer their label, multi-label heads the list of labels predicted.
            object Value(int head, HeadPrediction h) => answer.Heads[head].MultiLabel ? h.Labels : h.Label;
            object predictions = answer.Heads.Count == 1
                ? answer.Predictions.Select(p => Value(0, p.Heads[0])).ToList()
                : answer.Predictions.Select(p => p.Heads.Select((h, i) => (h, i)).ToDictionary(x => x.h.Head, x => Value(x.i, x.h))).ToList();
            return Results.Json(new { Predictions = predictions }, Json);
        });

        app.MapGet(ServingRoutes.Model, () =>
        {
            var model = state.Holder.Current;
            if (model is null)
            {
                return Results.Problem(statusCode: 503, title: "No model loaded", detail: LastFailureText(state));
            }

            var d = model.Descriptor;
            return Results.Json(new
            {
                Reference = state.Manager.Reference.Raw,
                d.Name,
                d.Version,
                d.Alias,
                d.Commit,
                d.Metrics,
                Heads = model.Heads.Select(h => new { h.Name, Kind = h.MultiLabel ? "multi_label" : "single_label", h.Labels, h.Thresholds }),
            }, Json);
        });

        app.MapGet(ServingRoutes.Health, () => Results.Json(new { Status = "alive" }, Json));

        app.MapGet(ServingRoutes.Ready, () =>
        {
            var model = state.Holder.Current?.Descriptor;
            var failure = state.Manager.LastFailure;
            var body = new
            {
                Status = model is null ? "not_ready" : "ready",
                Model = model is null ? null : new { model.Name, model.Version, model.Alias },
                LastReloadFailure = failure is null ? null : new { failure.At, failure.Version, failure.Error },
            };
            return Results.Json(body, Json, statusCode: model is null ? 503 : 200);
        });

        app.MapGet(ServingRoutes.Metrics, () => Results.Text(state.Metrics.Render(), "text/plain; version=0.0.4; charset=utf-8"));

        app.MapPost(ServingRoutes.AdminReload, async (HttpContext context) =>
        {
            var allowed = state.AdminToken.Check(context.Request);
            if (allowed == StatusCodes.Status401Unauthorized)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
                return Results.Problem(statusCode: allowed, title: "Unauthorized", detail: "Send Authorization: Bearer TOKEN with the admin token.");
            }

            if (allowed != StatusCodes.Status200OK)
            {
                return Results.Problem(statusCode: allowed, title: "Forbidden",
                    detail: $"The admin token is wrong, or the service has none (set {state.Options.AdminTokenVariable}).");
            }

            var force = string.Equals(context.Request.Query["force"], "true", StringComparison.OrdinalIgnoreCase);
            // A reload outlives a caller who hangs up; only shutting down cancels it.
            var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            var result = await state.Manager.ReloadAsync(force, stopping).ConfigureAwait(false);
            if (result.Outcome == ReloadOutcome.Refused)
            {
                return Results.Problem(statusCode: 409, title: "Reload refused",
                    detail: $"Version {result.Version ?? "(unresolved)"} was refused: {result.Error} Version {result.PreviousVersion ?? "(none)"} keeps serving.",
                    extensions: new Dictionary<string, object?> { ["serving_version"] = result.PreviousVersion, ["refused_version"] = result.Version });
            }

            return Results.Json(new { Outcome = result.Outcome.ToString().ToLowerInvariant(), result.Version, result.PreviousVersion }, Json);
        });
    }

    /// <summary>
    /// Reads the request's inputs in the shape the loaded model takes (texts, or images as base64
    /// or multipart uploads) and queues them for the batcher.
    /// </summary>
    private static async Task<BatchAnswer> RunAsync(
        HttpContext context, ServingState state, Func<JsonElement, ServingOptions, IReadOnlyList<string>> textInputs, bool allowUploads)
    {
        var images = state.Holder.Current?.Modality == ModelModality.Image;
        IReadOnlyList<string> inputs;
        if (context.Request.HasFormContentType)
        {
            if (!images || !allowUploads)
            {
                throw new RequestProblemException(415, "Uploads not accepted",
                    images ? "Send images to this route as JSON: {\"inputs\": [\"<base64>\", ...]}." : "This model classifies texts: send JSON such as {\"inputs\": [\"text\", ...]}.");
            }

            inputs = await RequestReader.ReadUploadsAsync(context.Request, state.Options, context.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            using var document = await RequestReader.ReadJsonAsync(context.Request, state.Options, context.RequestAborted).ConfigureAwait(false);
            inputs = images ? RequestReader.PredictImages(document.RootElement, state.Options) : textInputs(document.RootElement, state.Options);
        }

        return await state.Batcher.PredictAsync(inputs).ConfigureAwait(false);
    }

    private static Dictionary<string, float> Scores(ModelHead head, HeadPrediction prediction)
    {
        var scores = new Dictionary<string, float>(StringComparer.Ordinal);
        for (var j = 0; j < head.Labels.Count; j++)
        {
            scores[head.Labels[j]] = prediction.Scores[j];
        }

        return scores;
    }

    private static string LastFailureText(ServingState state) =>
        state.Manager.LastFailure is { } f ? $"Last reload failure ({f.Version}): {f.Error}" : "The first model load has not finished.";
}
