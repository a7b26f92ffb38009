using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Pipeline.Registry;

public sealed partial class MlflowClient
{
    /// <summary>
    /// Tag written on every version this client creates: a fresh id per create call, so a create
    /// whose answer was lost can be found again instead of being sent twice.
    /// </summary>
    public const string RegistrationTokenTag = "pipeline.registration_token";

    /// <inheritdoc />
    public async Task<RegisteredModel> CreateRegisteredModelAsync(string name, string? description = null, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["name"] = name, ["tags"] = MlflowJson.Tags(tags ?? new Dictionary<string, string>()) };
        if (description is not null)
        {
            body["description"] = description;
        }

        var json = await CallAsync(HttpMethod.Post, "registered-models/create", body, cancellationToken: cancellationToken).ConfigureAwait(false);
        return MlflowJson.ParseRegisteredModel(MlflowJson.Obj(json, "registered_model"));
    }

    /// <inheritdoc />
    public async Task<RegisteredModel> GetRegisteredModelAsync(string name, CancellationToken cancellationToken = default)
    {
        var json = await CallAsync(HttpMethod.Get, "registered-models/get", query: [Q("name", name)], cancellationToken: cancellationToken).ConfigureAwait(false);
        return MlflowJson.ParseRegisteredModel(MlflowJson.Obj(json, "registered_model"));
    }

    /// <inheritdoc />
    public async Task<PagedList<RegisteredModel>> SearchRegisteredModelsAsync(int maxResults = 100, string? pageToken = null, CancellationToken cancellationToken = default)
    {
        var query = new List<KeyValuePair<string, string>> { Q("max_results", Invariant(maxResults)) };
        if (pageToken is not null)
        {
            query.Add(Q("page_token", pageToken));
        }

        var json = await CallAsync(HttpMethod.Get, "registered-models/search", query: query, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new PagedList<RegisteredModel>(
            MlflowJson.Array(json, "registered_models").Select(MlflowJson.ParseRegisteredModel).ToList(), NextToken(json));
    }

    /// <inheritdoc />
    public Task SetRegisteredModelTagAsync(string name, string key, string value, CancellationToken cancellationToken = default) =>
        CallAsync(HttpMethod.Post, "registered-models/set-tag", new JsonObject { ["name"] = name, ["key"] = key, ["value"] = value }, cancellationToken: cancellationToken);

    /// <inheritdoc />
    public Task DeleteRegisteredModelTagAsync(string name, string key, CancellationToken cancellationToken = default) =>
        CallAsync(HttpMethod.Delete, "registered-models/delete-tag", new JsonObject { ["name"] = name, ["key"] = key }, cancellationToken: cancellationToken);

    /// <inheritdoc />
    public async Task<ModelVersion> CreateModelVersionAsync(string name, string source, string? runId = null, IReadOnlyDictionary<string, string>? tags = null, string? description = null, TimeSpan? awaitCreationFor = null, CancellationToken cancellationToken = default)
    {
        var token = Guid.NewGuid().ToString("N");
        var allTags = new Dictionary<string, string>(tags ?? new Dictionary<string, string>(), StringComparer.Ordinal) { [RegistrationTokenTag] = token };
        var body = new JsonObject { ["name"] = name, ["source"] = source, ["tags"] = MlflowJson.Tags(allTags) };
        if (runId is not null)
        {
            body["run_id"] = runId;
        }

        if (description is not null)
        {
            body["description"] = description;
        }

        ModelVersion created;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                // Never retried blindly: a retried create makes a second version.
                var json = await CallAsync(HttpMethod.Post, "model-versions/create", body, retry: false, cancellationToken: cancellationToken).ConfigureAwait(false);
                created = MlflowJson.ParseModelVersion(MlflowJson.Obj(json, "model_version"));
                break;
            }
            catch (MlflowApiException ex) when (ex.IsTransient && attempt < _options.MaxRetries)
            {
                // The server may have created the version and lost the answer: look for it first.
                if (await FindByRegistrationTokenAsync(name, runId, token, cancellationToken).ConfigureAwait(false) is { } found)
                {
                    _logger.LogWarning("Creating a version of model '{Model}' failed ({Reason}) but the server had created version {Version}; using it.",
                        name, ex.ServerMessage, found.Version);
                    created = found;
                    break;
                }

                await DelayAsync(attempt, null, ex.Endpoint, ex.ServerMessage, cancellationToken).ConfigureAwait(false);
            }
        }

        var wait = awaitCreationFor ?? _options.AwaitCreationFor;
        return wait > TimeSpan.Zero && created.Status != ModelVersionStatus.Ready
            ? await this.WaitForModelVersionReadyAsync(name, created.Version, wait, _options.PollInterval, cancellationToken).ConfigureAwait(false)
            : created;
    }

    private async Task<ModelVersion?> FindByRegistrationTokenAsync(string name, string? runId, string token, CancellationToken cancellationToken)
    {
        var filter = runId is not null ? "run_id=" + SearchFilter.Quote(runId) : "name=" + SearchFilter.Quote(name);
        await foreach (var version in this.SearchAllModelVersionsAsync(filter, cancellationToken).ConfigureAwait(false))
        {
            if (version.Name == name && version.Tags.TryGetValue(RegistrationTokenTag, out var t) && t == token)
            {
                return version;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public async Task<ModelVersion> GetModelVersionAsync(string name, int version, CancellationToken cancellationToken = default)
    {
        var json = await CallAsync(HttpMethod.Get, "model-versions/get", query: [Q("name", name), Q("version", Invariant(version))], cancellationToken: cancellationToken).ConfigureAwait(false);
        return MlflowJson.ParseModelVersion(MlflowJson.Obj(json, "model_version"));
    }

    /// <inheritdoc />
    public async Task<PagedList<ModelVersion>> SearchModelVersionsAsync(string? filter = null, int maxResults = 200, string? pageToken = null, CancellationToken cancellationToken = default)
    {
        var query = new List<KeyValuePair<string, string>> { Q("max_results", Invariant(maxResults)) };
        if (!string.IsNullOrEmpty(filter))
        {
            query.Add(Q("filter", filter));
        }

        if (pageToken is not null)
        {
            query.Add(Q("page_token", pageToken));
        }

        var json = await CallAsync(HttpMethod.Get, "model-versions/search", query: query, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new PagedList<ModelVersion>(
            MlflowJson.Array(json, "model_versions").Select(MlflowJson.ParseModelVersion).ToList(), NextToken(json));
    }

    /// <inheritdoc />
    public async Task<ModelVersion> UpdateModelVersionAsync(string name, int version, string description, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["name"] = name, ["version"] = Invariant(version), ["description"] = description };
        var json = await CallAsync(HttpMethod.Patch, "model-versions/update", body, cancellationToken: cancellationToken).ConfigureAwait(false);
        return MlflowJson.ParseModelVersion(MlflowJson.Obj(json, "model_version"));
    }

    /// <inheritdoc />
    public Task SetModelVersionTagAsync(string name, int version, string key, string value, CancellationToken cancellationToken = default) =>
        CallAsync(HttpMethod.Post, "model-versions/set-tag",
            new JsonObject { ["name"] = name, ["version"] = Invariant(version), ["key"] = key, ["value"] = value }, cancellationToken: cancellationToken);

    /// <inheritdoc />
    public Task DeleteModelVersionTagAsync(string name, int version, string key, CancellationToken cancellationToken = default) =>
        CallAsync(HttpMethod.Delete, "model-versions/delete-tag",
            new JsonObject { ["name"] = name, ["version"] = Invariant(version), ["key"] = key }, cancellationToken: cancellationToken);

    /// <inheritdoc />
    public Task SetRegisteredModelAliasAsync(string name, string alias, int version, CancellationToken cancellationToken = default) =>
        CallAsync(HttpMethod.Post, "registered-models/alias",
            new JsonObject { ["name"] = name, ["alias"] = alias, ["version"] = Invariant(version) }, cancellationToken: cancellationToken);

    /// <inheritdoc />
    public Task DeleteRegisteredModelAliasAsync(string name, string alias, CancellationToken cancellationToken = default) =>
        CallAsync(HttpMethod.Delete, "registered-models/alias", new JsonObject { ["name"] = name, ["alias"] = alias }, cancellationToken: cancellationToken);

    /// <inheritdoc />
    public async Task<ModelVersion> GetModelVersionByAliasAsync(string name, string alias, CancellationToken cancellationToken = default)
    {
        var json = await CallAsync(HttpMethod.Get, "registered-models/alias", query: [Q("name", name), Q("alias", alias)], cancellationToken: cancellationToken).ConfigureAwait(false);
        return MlflowJson.ParseModelVersion(MlflowJson.Obj(json, "model_version"));
    }
}
