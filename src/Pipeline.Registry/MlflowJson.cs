using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Registry;

/// <summary>
/// MLflow's proto3-JSON wire format for our entities (snake_case; ids and versions as strings;
/// int64 as numbers; NaN and infinities as strings), both directions.
/// </summary>
internal static class MlflowJson
{
    public static string Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null
            ? (v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : v.GetRawText())
            : "";

    public static long? Long(JsonElement e, string name)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var v))
        {
            return null;
        }

        return v.ValueKind switch
        {
            JsonValueKind.Number => v.GetInt64(),
            JsonValueKind.String when long.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
            _ => null,
        };
    }

    public static IEnumerable<JsonElement> Array(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray()
            : [];

    public static JsonElement Obj(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : default;

    public static Dictionary<string, string> TagList(JsonElement e, string name) =>
        Array(e, name).GroupBy(t => Str(t, "key"), StringComparer.Ordinal).ToDictionary(g => g.Key, g => Str(g.Last(), "value"), StringComparer.Ordinal);

    public static double ParseDouble(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Number => v.GetDouble(),
        JsonValueKind.String => v.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var s => double.Parse(s!, NumberStyles.Float, CultureInfo.InvariantCulture),
        },
        _ => 0,
    };

    public static JsonNode DoubleNode(double value) =>
        double.IsNaN(value) ? JsonValue.Create("NaN")
        : double.IsPositiveInfinity(value) ? JsonValue.Create("Infinity")
        : double.IsNegativeInfinity(value) ? JsonValue.Create("-Infinity")
        : JsonValue.Create(value);

    public static string EnumName(RunStatus status) => status.ToString().ToUpperInvariant();

    public static RunStatus ParseRunStatus(string s) =>
        Enum.TryParse<RunStatus>(s, ignoreCase: true, out var status) ? status : RunStatus.Running;

    public static string EnumName(ModelVersionStatus status) => status switch
    {
        ModelVersionStatus.PendingRegistration => "PENDING_REGISTRATION",
        ModelVersionStatus.FailedRegistration => "FAILED_REGISTRATION",
        _ => "READY",
    };

    public static ModelVersionStatus ParseVersionStatus(string s) => s switch
    {
        "PENDING_REGISTRATION" => ModelVersionStatus.PendingRegistration,
        "FAILED_REGISTRATION" => ModelVersionStatus.FailedRegistration,
        _ => ModelVersionStatus.Ready,
    };

    public static Experiment ParseExperiment(JsonElement e) => new(
        Str(e, "experiment_id"), Str(e, "name"), Str(e, "artifact_location"), Str(e, "lifecycle_stage"),
        Long(e, "creation_time") ?? 0, Long(e, "last_update_time") ?? 0, TagList(e, "tags"));

    public static RunInfo ParseRunInfo(JsonElement e)
    {
        var runId = Str(e, "run_id");
        return new RunInfo(
            runId.Length > 0 ? runId : Str(e, "run_uuid"), Str(e, "experiment_id"), Str(e, "run_name"), Str(e, "user_id"),
            ParseRunStatus(Str(e, "status")), Long(e, "start_time") ?? 0, Long(e, "end_time"), Str(e, "artifact_uri"), Str(e, "lifecycle_stage"));
    }

    public static Metric ParseMetric(JsonElement e) => new(
        Str(e, "key"), e.TryGetProperty("value", out var v) ? ParseDouble(v) : 0, Long(e, "timestamp") ?? 0, Long(e, "step") ?? 0);

    public static Run ParseRun(JsonElement e)
    {
        var data = Obj(e, "data");
        return new Run(
            ParseRunInfo(Obj(e, "info")),
            new RunData(
                Array(data, "metrics").Select(ParseMetric).ToList(),
                Array(data, "params").Select(p => new Param(Str(p, "key"), Str(p, "value"))).ToList(),
                Array(data, "tags").Select(t => new RunTag(Str(t, "key"), Str(t, "value"))).ToList()));
    }

    public static RegisteredModel ParseRegisteredModel(JsonElement e) => new(
        Str(e, "name"), Long(e, "creation_timestamp") ?? 0, Long(e, "last_updated_timestamp") ?? 0, Str(e, "description"),
        TagList(e, "tags"),
        Array(e, "aliases").ToDictionary(a => Str(a, "alias"), a => int.Parse(Str(a, "version"), CultureInfo.InvariantCulture), StringComparer.Ordinal));

    public static ModelVersion ParseModelVersion(JsonElement e) => new(
        Str(e, "name"), int.Parse(Str(e, "version"), CultureInfo.InvariantCulture), Long(e, "creation_timestamp") ?? 0,
        Long(e, "last_updated_timestamp") ?? 0, Str(e, "description"), Str(e, "source"), Str(e, "run_id"),
        ParseVersionStatus(Str(e, "status")), Str(e, "status_message"), TagList(e, "tags"),
        Array(e, "aliases").Select(a => a.GetString() ?? "").ToList());

    public static JsonArray Tags(IEnumerable<KeyValuePair<string, string>> tags) =>
        new(tags.Select(t => (JsonNode)new JsonObject { ["key"] = t.Key, ["value"] = t.Value }).ToArray());

    public static JsonObject ToJson(Metric m) => new()
    {
        ["key"] = m.Key, ["value"] = DoubleNode(m.Value), ["timestamp"] = m.Timestamp, ["step"] = m.Step,
    };

    public static JsonObject ToJson(Experiment x) => new()
    {
        ["experiment_id"] = x.ExperimentId, ["name"] = x.Name, ["artifact_location"] = x.ArtifactLocation,
        ["lifecycle_stage"] = x.LifecycleStage, ["creation_time"] = x.CreationTime, ["last_update_time"] = x.LastUpdateTime,
        ["tags"] = Tags(x.Tags),
    };

    public static JsonObject ToJson(RunInfo i)
    {
        var o = new JsonObject
        {
            ["run_id"] = i.RunId, ["run_uuid"] = i.RunId, ["run_name"] = i.RunName, ["experiment_id"] = i.ExperimentId,
            ["user_id"] = i.UserId, ["status"] = EnumName(i.Status), ["start_time"] = i.StartTime,
            ["artifact_uri"] = i.ArtifactUri, ["lifecycle_stage"] = i.LifecycleStage,
        };
        if (i.EndTime is { } end)
        {
            o["end_time"] = end;
        }

        return o;
    }

    public static JsonObject ToJson(Run r) => new()
    {
        ["info"] = ToJson(r.Info),
        ["data"] = new JsonObject
        {
            ["metrics"] = new JsonArray(r.Data.Metrics.Select(m => (JsonNode)ToJson(m)).ToArray()),
            ["params"] = Tags(r.Data.Params.Select(p => KeyValuePair.Create(p.Key, p.Value))),
            ["tags"] = Tags(r.Data.Tags.Select(t => KeyValuePair.Create(t.Key, t.Value))),
        },
        ["inputs"] = new JsonObject(),
    };

    public static JsonObject ToJson(RegisteredModel m) => new()
    {
        ["name"] = m.Name, ["creation_timestamp"] = m.CreationTimestamp, ["last_updated_timestamp"] = m.LastUpdatedTimestamp,
        ["description"] = m.Description, ["tags"] = Tags(m.Tags),
        ["aliases"] = new JsonArray(m.Aliases.Select(a => (JsonNode)new JsonObject
        {
            ["alias"] = a.Key, ["version"] = a.Value.ToString(CultureInfo.InvariantCulture),
        }).ToArray()),
    };

    public static JsonObject ToJson(ModelVersion v) => new()
    {
        ["name"] = v.Name, ["version"] = v.Version.ToString(CultureInfo.InvariantCulture),
        ["creation_timestamp"] = v.CreationTimestamp, ["last_updated_timestamp"] = v.LastUpdatedTimestamp,
        ["current_stage"] = "None", ["description"] = v.Description, ["source"] = v.Source, ["run_id"] = v.RunId,
        ["status"] = EnumName(v.Status), ["status_message"] = v.StatusMessage, ["tags"] = Tags(v.Tags),
        ["run_link"] = "", ["aliases"] = new JsonArray(v.Aliases.Select(a => (JsonNode)JsonValue.Create(a)).ToArray()),
    };
}
