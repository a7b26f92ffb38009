using System.Text.Json.Nodes;

namespace Pipeline.Registry;

public sealed partial class MlflowClient
{
    /// <inheritdoc />
    public async Task<Experiment?> GetExperimentByNameAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            var json = await CallAsync(HttpMethod.Get, "experiments/get-by-name", query: [Q("experiment_name", name)], cancellationToken: cancellationToken).ConfigureAwait(false);
            return MlflowJson.ParseExperiment(MlflowJson.Obj(json, "experiment"));
        }
        catch (MlflowApiException ex) when (ex.ErrorCode == MlflowErrorCodes.ResourceDoesNotExist)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        var json = await CallAsync(HttpMethod.Get, "experiments/get", query: [Q("experiment_id", experimentId)], cancellationToken: cancellationToken).ConfigureAwait(false);
        return MlflowJson.ParseExperiment(MlflowJson.Obj(json, "experiment"));
    }

    /// <inheritdoc />
    public async Task<string> CreateExperimentAsync(string name, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["name"] = name, ["tags"] = MlflowJson.Tags(tags ?? new Dictionary<string, string>()) };
        var json = await CallAsync(HttpMethod.Post, "experiments/create", body, cancellationToken: cancellationToken).ConfigureAwait(false);
        return MlflowJson.Str(json, "experiment_id");
    }

    /// <inheritdoc />
    public async Task<PagedList<Experiment>> SearchExperimentsAsync(int maxResults = 1000, string? pageToken = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["max_results"] = maxResults, ["view_type"] = "ACTIVE_ONLY" };
        if (pageToken is not null)
        {
            body["page_token"] = pageToken;
        }

        var json = await CallAsync(HttpMethod.Post, "experiments/search", body, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new PagedList<Experiment>(
            MlflowJson.Array(json, "experiments").Select(MlflowJson.ParseExperiment).ToList(), NextToken(json));
    }

    /// <inheritdoc />
    public async Task<Run> CreateRunAsync(string experimentId, string? runName = null, IReadOnlyDictionary<string, string>? tags = null, long? startTime = null, CancellationToken cancellationToken = default)
    {
        tags ??= new Dictionary<string, string>();
        var body = new JsonObject
        {
            ["experiment_id"] = experimentId,
            ["start_time"] = startTime ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            ["tags"] = MlflowJson.Tags(tags),
        };
        if (runName is not null)
        {
            body["run_name"] = runName;
        }

        if (tags.TryGetValue("mlflow.user", out var user))
        {
            // The server does not copy the mlflow.user tag into user_id; send both, as MLflow's Python client does.
            body["user_id"] = user;
        }

        var json = await CallAsync(HttpMethod.Post, "runs/create", body, cancellationToken: cancellationToken).ConfigureAwait(false);
        return MlflowJson.ParseRun(MlflowJson.Obj(json, "run"));
    }

    /// <inheritdoc />
    public async Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        var json = await CallAsync(HttpMethod.Get, "runs/get", query: [Q("run_id", runId)], cancellationToken: cancellationToken).ConfigureAwait(false);
        return MlflowJson.ParseRun(MlflowJson.Obj(json, "run"));
    }

    /// <inheritdoc />
    public async Task<RunInfo> UpdateRunAsync(string runId, RunStatus status, long? endTime = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["run_id"] = runId, ["status"] = MlflowJson.EnumName(status) };
        if (endTime is { } end)
        {
            body["end_time"] = end;
        }

        var json = await CallAsync(HttpMethod.Post, "runs/update", body, cancellationToken: cancellationToken).ConfigureAwait(false);
        return MlflowJson.ParseRunInfo(MlflowJson.Obj(json, "run_info"));
    }

    /// <inheritdoc />
    public async Task<PagedList<Run>> SearchRunsAsync(IReadOnlyList<string> experimentIds, string? filter = null, int maxResults = 1000, string? pageToken = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experimentIds);
        var body = new JsonObject
        {
            ["experiment_ids"] = new JsonArray(experimentIds.Select(id => (JsonNode)JsonValue.Create(id)).ToArray()),
            ["max_results"] = maxResults,
            ["run_view_type"] = "ACTIVE_ONLY",
        };
        if (!string.IsNullOrEmpty(filter))
        {
            body["filter"] = filter;
        }

        if (pageToken is not null)
        {
            body["page_token"] = pageToken;
        }

        var json = await CallAsync(HttpMethod.Post, "runs/search", body, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new PagedList<Run>(MlflowJson.Array(json, "runs").Select(MlflowJson.ParseRun).ToList(), NextToken(json));
    }

    /// <inheritdoc />
    public async Task SetTagAsync(string runId, string key, string value, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["run_id"] = runId, ["key"] = key, ["value"] = value };
        await CallAsync(HttpMethod.Post, "runs/set-tag", body, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task LogBatchAsync(string runId, IReadOnlyList<Metric>? metrics = null, IReadOnlyList<Param>? @params = null, IReadOnlyList<RunTag>? tags = null, CancellationToken cancellationToken = default)
    {
        metrics ??= [];
        tags ??= [];
        var newParams = ParamChecks.Deduplicate(runId, @params ?? []);
        if (newParams.Count > 0)
        {
            // Params are immutable: check what the run already holds, so a change is reported
            // with its key and both values (and equal values are not sent twice).
            var existing = (await GetRunAsync(runId, cancellationToken).ConfigureAwait(false)).Data.ParamMap;
            newParams = ParamChecks.NotYetLogged("POST /" + ApiPrefix + "runs/log-batch", runId, newParams, existing);
        }

        foreach (var chunk in LogBatchChunker.Chunk(metrics, newParams, tags))
        {
            var body = new JsonObject
            {
                ["run_id"] = runId,
                ["metrics"] = new JsonArray(chunk.Metrics.Select(m => (JsonNode)MlflowJson.ToJson(m)).ToArray()),
                ["params"] = MlflowJson.Tags(chunk.Params.Select(p => KeyValuePair.Create(p.Key, p.Value))),
                ["tags"] = MlflowJson.Tags(chunk.Tags.Select(t => KeyValuePair.Create(t.Key, t.Value))),
            };
            try
            {
                await CallAsync(HttpMethod.Post, "runs/log-batch", body, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (MlflowApiException ex) when (ex.ErrorCode == MlflowErrorCodes.InvalidParameterValue && chunk.Params.Count > 0
                && ex.ServerMessage.Contains("Changing param values", StringComparison.OrdinalIgnoreCase))
            {
                // Someone logged the param between our check and this call: report it precisely.
                var now = (await GetRunAsync(runId, cancellationToken).ConfigureAwait(false)).Data.ParamMap;
                ParamChecks.NotYetLogged(ex.Endpoint, runId, chunk.Params, now);
                throw;
            }
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Metric>> GetMetricHistoryAsync(string runId, string key, CancellationToken cancellationToken = default)
    {
        var all = new List<Metric>();
        string? token = null;
        do
        {
            var query = new List<KeyValuePair<string, string>> { Q("run_id", runId), Q("metric_key", key), Q("max_results", "25000") };
            if (token is not null)
            {
                query.Add(Q("page_token", token));
            }

            var json = await CallAsync(HttpMethod.Get, "metrics/get-history", query: query, cancellationToken: cancellationToken).ConfigureAwait(false);
            all.AddRange(MlflowJson.Array(json, "metrics").Select(MlflowJson.ParseMetric));
            token = NextToken(json);
        }
        while (token is not null);

        return all.OrderBy(m => m.Step).ThenBy(m => m.Timestamp).ToList();
    }

    private static string? NextToken(System.Text.Json.JsonElement json)
    {
        var token = MlflowJson.Str(json, "next_page_token");
        return token.Length == 0 ? null : token;
    }
}
