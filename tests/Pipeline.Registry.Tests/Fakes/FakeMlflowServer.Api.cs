using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Pipeline.Registry.Tests.Fakes;

public sealed partial class FakeMlflowServer
{
    private async Task<JsonObject?> HandleApiAsync(HttpContext context, string route, JsonElement a)
    {
        switch (route)
        {
            case "POST experiments/create":
                return new JsonObject { ["experiment_id"] = await Store.CreateExperimentAsync(Required(a, "name"), Tags(a)) };
            case "GET experiments/get-by-name":
                var name = Required(a, "experiment_name");
                var byName = await Store.GetExperimentByNameAsync(name)
                    ?? throw new MlflowApiException("fake", 404, MlflowErrorCodes.ResourceDoesNotExist, $"Could not find experiment with name '{name}'");
                return new JsonObject { ["experiment"] = Remote(byName) };
            case "GET experiments/get":
                return new JsonObject { ["experiment"] = Remote(await Store.GetExperimentAsync(Required(a, "experiment_id"))) };
            case "POST experiments/search":
                var experiments = await Store.SearchExperimentsAsync(Int(a, "max_results", 1000), Optional(a, "page_token"));
                return Page("experiments", experiments.Items.Select(e => (JsonNode)Remote(e)), experiments.NextPageToken);
            case "POST runs/create":
                var created = await Store.CreateRunAsync(Required(a, "experiment_id"), Optional(a, "run_name"), Tags(a),
                    a.TryGetProperty("start_time", out var st) && st.ValueKind == JsonValueKind.Number ? st.GetInt64() : null);
                return new JsonObject { ["run"] = Remote(created) };
            case "GET runs/get":
                return new JsonObject { ["run"] = Remote(await Store.GetRunAsync(Required(a, "run_id"))) };
            case "POST runs/update":
                var status = Enum.Parse<RunStatus>(Required(a, "status"), ignoreCase: true);
                var info = await Store.UpdateRunAsync(Required(a, "run_id"), status, a.TryGetProperty("end_time", out var et) ? et.GetInt64() : null);
                return new JsonObject { ["run_info"] = MlflowJson.ToJson(info with { ArtifactUri = RemoteArtifactUri(info) }) };
            case "POST runs/search":
                var ids = MlflowJson.Array(a, "experiment_ids").Select(e => e.GetString()!).ToList();
                var runs = await Store.SearchRunsAsync(ids, Optional(a, "filter"), Int(a, "max_results", 1000), Optional(a, "page_token"));
                return Page("runs", runs.Items.Select(r => (JsonNode)Remote(r)), runs.NextPageToken);
            case "POST runs/set-tag":
                await Store.SetTagAsync(Required(a, "run_id"), Required(a, "key"), Required(a, "value"));
                return [];
            case "POST runs/log-batch":
                await LogBatchAsync(a);
                return [];
            case "GET metrics/get-history":
                var history = await Store.GetMetricHistoryAsync(Required(a, "run_id"), Required(a, "metric_key"));
                return new JsonObject { ["metrics"] = new JsonArray(history.Select(m => (JsonNode)MlflowJson.ToJson(m)).ToArray()) };
            case "POST registered-models/create":
                return new JsonObject { ["registered_model"] = MlflowJson.ToJson(await Store.CreateRegisteredModelAsync(Required(a, "name"), Optional(a, "description"), Tags(a))) };
            case "GET registered-models/get":
                return new JsonObject { ["registered_model"] = MlflowJson.ToJson(await Store.GetRegisteredModelAsync(Required(a, "name"))) };
            case "GET registered-models/search":
                var models = await Store.SearchRegisteredModelsAsync(Int(a, "max_results", 100), Optional(a, "page_token"));
                return Page("registered_models", models.Items.Select(m => (JsonNode)MlflowJson.ToJson(m)), models.NextPageToken);
            case "POST registered-models/set-tag":
                await Store.SetRegisteredModelTagAsync(Required(a, "name"), Required(a, "key"), Required(a, "value"));
                return [];
            case "DELETE registered-models/delete-tag":
                await Store.DeleteRegisteredModelTagAsync(Required(a, "name"), Required(a, "key"));
                return [];
            case "POST model-versions/create":
                return await CreateVersionAsync(context, a);
            case "GET model-versions/get":
                return new JsonObject { ["model_version"] = Remote(await Store.GetModelVersionAsync(Required(a, "name"), Int(a, "version", 0))) };
            case "GET model-versions/search":
                var versions = await Store.SearchModelVersionsAsync(Optional(a, "filter"), Int(a, "max_results", 200), Optional(a, "page_token"));
                return Page("model_versions", versions.Items.Select(v => (JsonNode)Remote(v)), versions.NextPageToken);
            case "PATCH model-versions/update":
                return new JsonObject { ["model_version"] = Remote(await Store.UpdateModelVersionAsync(Required(a, "name"), Int(a, "version", 0), Optional(a, "description") ?? "")) };
            case "POST model-versions/set-tag":
                await Store.SetModelVersionTagAsync(Required(a, "name"), Int(a, "version", 0), Required(a, "key"), Required(a, "value"));
                return [];
            case "DELETE model-versions/delete-tag":
                await Store.DeleteModelVersionTagAsync(Required(a, "name"), Int(a, "version", 0), Required(a, "key"));
                return [];
            case "POST registered-models/alias":
                await Store.SetRegisteredModelAliasAsync(Required(a, "name"), Required(a, "alias"), Int(a, "version", 0));
                return [];
            case "DELETE registered-models/alias":
                await Store.DeleteRegisteredModelAliasAsync(Required(a, "name"), Required(a, "alias"));
                return [];
            case "GET registered-models/alias":
                return new JsonObject { ["model_version"] = Remote(await Store.GetModelVersionByAliasAsync(Required(a, "name"), Required(a, "alias"))) };
            default:
                context.Response.StatusCode = 404;
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.WriteAsync("<!doctype html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n");
                return null;
        }
    }

    private async Task LogBatchAsync(JsonElement a)
    {
        var runId = Required(a, "run_id");
        var metrics = MlflowJson.Array(a, "metrics").ToList();
        var @params = MlflowJson.Array(a, "params").Select(p => new Param(MlflowJson.Str(p, "key"), MlflowJson.Str(p, "value"))).ToList();
        var tags = MlflowJson.Array(a, "tags").Select(t => new RunTag(MlflowJson.Str(t, "key"), MlflowJson.Str(t, "value"))).ToList();

        // MLflow's _validate_batch_log_limits, with its messages.
        void Limit(int count, int max, string what)
        {
            if (count > max)
            {
                throw new MlflowApiException("fake", 400, MlflowErrorCodes.InvalidParameterValue,
                    $"A batch logging request can contain at most {max} {what}. Got {count} {what}. Please split up {what} across multiple requests and try again.");
            }
        }

        Limit(metrics.Count, 1000, "metrics");
        Limit(@params.Count, 100, "params");
        Limit(tags.Count, 100, "tags");
        Limit(metrics.Count + @params.Count + tags.Count, 1000, "entities");
        if (@params.GroupBy(p => p.Key).Any(g => g.Count() > 1))
        {
            throw new MlflowApiException("fake", 400, MlflowErrorCodes.InvalidParameterValue, "Duplicate parameter keys have been submitted.");
        }

        var parsed = new List<Metric>();
        foreach (var m in metrics)
        {
            if (MlflowJson.Long(m, "timestamp") is not { } timestamp)
            {
                throw new MlflowApiException("fake", 400, MlflowErrorCodes.InvalidParameterValue, "Missing value for required parameter 'metrics[0].timestamp'.");
            }

            parsed.Add(MlflowJson.ParseMetric(m) with { Timestamp = timestamp });
        }

        var truncated = @params.Select(p => p.Value.Length > 6000 ? p with { Value = p.Value[..6000] } : p).ToList();
        await Store.LogBatchAsync(runId, parsed, truncated, tags);
        Batches.Enqueue((metrics.Count, @params.Count, tags.Count));
    }

    private async Task<JsonObject?> CreateVersionAsync(HttpContext context, JsonElement a)
    {
        var source = Required(a, "source");
        var version = await Store.CreateModelVersionAsync(Required(a, "name"), source, Optional(a, "run_id"), Tags(a), Optional(a, "description"));
        _readyAt[(version.Name, version.Version)] = DateTimeOffset.UtcNow + PendingFor;
        if (Interlocked.Decrement(ref _failAfterCreatingVersions) >= 0)
        {
            // Created, but the answer is lost: the client sees a dropped connection.
            context.Abort();
            return null;
        }

        return new JsonObject { ["model_version"] = Remote(version) };
    }

    private JsonObject Remote(ModelVersion v)
    {
        var pending = _readyAt.TryGetValue((v.Name, v.Version), out var at) && DateTimeOffset.UtcNow < at;
        return MlflowJson.ToJson(pending ? v with { Status = ModelVersionStatus.PendingRegistration } : v);
    }

    private static JsonObject Remote(Experiment e) => MlflowJson.ToJson(e with { ArtifactLocation = "mlflow-artifacts:/" + e.ExperimentId });

    private static string RemoteArtifactUri(RunInfo info) => $"mlflow-artifacts:/{info.ExperimentId}/{info.RunId}/artifacts";

    private static JsonObject Remote(Run r) => MlflowJson.ToJson(r with { Info = r.Info with { ArtifactUri = RemoteArtifactUri(r.Info) } });

    private static JsonObject Page(string name, IEnumerable<JsonNode> items, string? next)
    {
        var o = new JsonObject { [name] = new JsonArray(items.ToArray()) };
        if (next is not null)
        {
            o["next_page_token"] = next;
        }

        return o;
    }

    private async Task HandleArtifactAsync(HttpContext context, string path)
    {
        var request = context.Request;
        if (path.Split('/').Any(p => p == "..") || Path.IsPathRooted(path))
        {
            await ErrorAsync(context, MlflowErrorCodes.InvalidParameterValue, "Invalid path");
            return;
        }

        if (HttpMethods.IsPut(request.Method))
        {
            var target = Path.Combine(ArtifactStore, Uri.UnescapeDataString(path));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await using (var file = File.Create(target))
            {
                await request.Body.CopyToAsync(file);
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{}");
            return;
        }

        if (HttpMethods.IsGet(request.Method) && path.Length == 0)
        {
            var dir = Path.Combine(ArtifactStore, request.Query["path"].ToString());
            var o = new JsonObject();
            if (Directory.Exists(dir))
            {
                o["files"] = new JsonArray(new DirectoryInfo(dir).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal)
                    .Select(e => (JsonNode)(e is FileInfo f
                        ? new JsonObject { ["path"] = f.Name, ["is_dir"] = false, ["file_size"] = f.Length }
                        : new JsonObject { ["path"] = e.Name, ["is_dir"] = true }))
                    .ToArray());
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(o.ToJsonString());
            return;
        }

        if (HttpMethods.IsGet(request.Method))
        {
            var source = Path.Combine(ArtifactStore, Uri.UnescapeDataString(path));
            if (!File.Exists(source))
            {
                // As MLflow 2.12.2: a missing artifact is a 500, not a 404.
                await ErrorAsync(context, MlflowErrorCodes.InternalError, $"No such file or directory: '{path}'");
                return;
            }

            context.Response.ContentType = "application/octet-stream";
            context.Response.Headers.ContentDisposition = "attachment; filename=" + Path.GetFileName(source);
            await context.Response.SendFileAsync(source);
            return;
        }

        context.Response.StatusCode = 405;
    }
}
