using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Pipeline.Registry;

public sealed partial class LocalRegistry
{
    /// <inheritdoc />
    public Task<Experiment?> GetExperimentByNameAsync(string name, CancellationToken cancellationToken = default) =>
        Task.FromResult(Read(c => LoadExperiment(c, null, "name = $v", name)));

    /// <inheritdoc />
    public Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Read(c => LoadExperiment(c, null, "experiment_id = $v", ParseId(experimentId))
            ?? throw Fail("experiments/get", MlflowErrorCodes.ResourceDoesNotExist, $"No Experiment with id={experimentId} exists.")));

    /// <inheritdoc />
    public Task<string> CreateExperimentAsync(string name, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 500)
        {
            throw Fail("experiments/create", MlflowErrorCodes.InvalidParameterValue, "Experiment name must be 1 to 500 characters.");
        }

        try
        {
            return Task.FromResult(Write((c, t) =>
            {
                var now = Now();
                var id = (long)Scalar(c, t, "INSERT INTO experiments(name, creation_time, last_update_time) VALUES ($n, $now, $now) RETURNING experiment_id",
                    ("$n", name), ("$now", now))!;
                foreach (var tag in tags ?? new Dictionary<string, string>())
                {
                    Execute(c, t, "INSERT OR REPLACE INTO experiment_tags VALUES ($id, $k, $v)", ("$id", id), ("$k", tag.Key), ("$v", tag.Value));
                }

                return id.ToString(CultureInfo.InvariantCulture);
            }));
        }
        catch (SqliteException ex) when (IsUniqueViolation(ex))
        {
            throw Fail("experiments/create", MlflowErrorCodes.ResourceAlreadyExists, $"Experiment(name={name}) already exists.");
        }
    }

    /// <inheritdoc />
    public Task<PagedList<Experiment>> SearchExperimentsAsync(int maxResults = 1000, string? pageToken = null, CancellationToken cancellationToken = default)
    {
        var all = Read(c => Query(c, null, "SELECT experiment_id FROM experiments WHERE lifecycle_stage = 'active' ORDER BY experiment_id", r => r.GetInt64(0))
            .Select(id => LoadExperiment(c, null, "experiment_id = $v", id)!).ToList());
        return Task.FromResult(PageToken.Page(all, maxResults, pageToken));
    }

    /// <inheritdoc />
    public Task<Run> CreateRunAsync(string experimentId, string? runName = null, IReadOnlyDictionary<string, string>? tags = null, long? startTime = null, CancellationToken cancellationToken = default)
    {
        var allTags = new Dictionary<string, string>(tags ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        var runId = Guid.NewGuid().ToString("N");
        if (runName is not null && allTags.TryGetValue("mlflow.runName", out var tagged) && tagged != runName)
        {
            throw Fail("runs/create", MlflowErrorCodes.InvalidParameterValue,
                $"Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='{runName}', mlflow.runName='{tagged}').");
        }

        var name = runName ?? (allTags.TryGetValue("mlflow.runName", out var n) ? n : "run-" + runId[..8]);
        allTags["mlflow.runName"] = name;
        Write((c, t) =>
        {
            var expId = ParseId(experimentId);
            if (LoadExperiment(c, t, "experiment_id = $v", expId) is null)
            {
                throw Fail("runs/create", MlflowErrorCodes.ResourceDoesNotExist, $"No Experiment with id={experimentId} exists.");
            }

            Execute(c, t, "INSERT INTO runs(run_id, experiment_id, run_name, user_id, status, start_time) VALUES ($r, $e, $n, $u, 'RUNNING', $s)",
                ("$r", runId), ("$e", expId), ("$n", name), ("$u", allTags.GetValueOrDefault("mlflow.user", "")), ("$s", startTime ?? Now()));
            foreach (var tag in allTags)
            {
                Execute(c, t, "INSERT OR REPLACE INTO run_tags VALUES ($r, $k, $v)", ("$r", runId), ("$k", tag.Key), ("$v", tag.Value));
            }

            return 0;
        });
        return GetRunAsync(runId, cancellationToken);
    }

    /// <inheritdoc />
    public Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Read(c => LoadRun(c, null, runId)));

    /// <inheritdoc />
    public Task<RunInfo> UpdateRunAsync(string runId, RunStatus status, long? endTime = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(Write((c, t) =>
        {
            RequireRun(c, t, runId, "runs/update");
            Execute(c, t, "UPDATE runs SET status = $s, end_time = COALESCE($e, end_time) WHERE run_id = $r",
                ("$s", MlflowJson.EnumName(status)), ("$e", endTime), ("$r", runId));
            return LoadRun(c, t, runId).Info;
        }));

    /// <inheritdoc />
    public Task<PagedList<Run>> SearchRunsAsync(IReadOnlyList<string> experimentIds, string? filter = null, int maxResults = 1000, string? pageToken = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experimentIds);
        var clauses = SearchFilter.Parse(filter);
        var ids = experimentIds.Select(ParseId).ToHashSet();
        var runs = Read(c => Query(c, null, "SELECT run_id, experiment_id FROM runs WHERE lifecycle_stage = 'active' ORDER BY start_time DESC, run_id",
                r => (Id: r.GetString(0), Exp: r.GetInt64(1)))
            .Where(r => ids.Contains(r.Exp))
            .Select(r => LoadRun(c, null, r.Id))
            .Where(run => clauses.All(cl => RunMatches(run, cl)))
            .ToList());
        return Task.FromResult(PageToken.Page(runs, maxResults, pageToken));
    }

    /// <inheritdoc />
    public Task SetTagAsync(string runId, string key, string value, CancellationToken cancellationToken = default)
    {
        CheckKey(key, "runs/set-tag");
        Write((c, t) =>
        {
            RequireRun(c, t, runId, "runs/set-tag");
            return Execute(c, t, "INSERT OR REPLACE INTO run_tags VALUES ($r, $k, $v)", ("$r", runId), ("$k", key), ("$v", value));
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task LogBatchAsync(string runId, IReadOnlyList<Metric>? metrics = null, IReadOnlyList<Param>? @params = null, IReadOnlyList<RunTag>? tags = null, CancellationToken cancellationToken = default)
    {
        var newParams = ParamChecks.Deduplicate(runId, @params ?? []);
        foreach (var key in (metrics ?? []).Select(m => m.Key).Concat((tags ?? []).Select(t => t.Key)))
        {
            CheckKey(key, "runs/log-batch");
        }

        Write((c, t) =>
        {
            RequireRun(c, t, runId, "runs/log-batch");
            var existing = TagMap(c, t, "SELECT key, value FROM params WHERE run_id = $r", ("$r", runId));
            foreach (var p in ParamChecks.NotYetLogged("local registry runs/log-batch", runId, newParams, existing))
            {
                var value = p.Value.Length > MlflowRules.MaxParamValueLength ? p.Value[..MlflowRules.MaxParamValueLength] : p.Value;
                Execute(c, t, "INSERT INTO params VALUES ($r, $k, $v)", ("$r", runId), ("$k", p.Key), ("$v", value));
            }

            foreach (var tag in tags ?? [])
            {
                Execute(c, t, "INSERT OR REPLACE INTO run_tags VALUES ($r, $k, $v)", ("$r", runId), ("$k", tag.Key), ("$v", tag.Value));
            }

            foreach (var m in metrics ?? [])
            {
                Execute(c, t, "INSERT OR IGNORE INTO metrics VALUES ($r, $k, $v, $nan, $ts, $s)",
                    ("$r", runId), ("$k", m.Key), ("$v", double.IsNaN(m.Value) ? null : m.Value), ("$nan", double.IsNaN(m.Value) ? 1 : 0),
                    ("$ts", m.Timestamp), ("$s", m.Step));
            }

            return 0;
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Metric>> GetMetricHistoryAsync(string runId, string key, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<Metric>>(Read(c =>
        {
            RequireRun(c, null, runId, "metrics/get-history");
            return Query(c, null, "SELECT key, value, is_nan, timestamp, step FROM metrics WHERE run_id = $r AND key = $k ORDER BY step, timestamp",
                ReadMetric, ("$r", runId), ("$k", key));
        }));

    private static Metric ReadMetric(SqliteDataReader r) =>
        new(r.GetString(0), r.GetInt64(2) == 1 ? double.NaN : r.GetDouble(1), r.GetInt64(3), r.GetInt64(4));

    private Experiment? LoadExperiment(SqliteConnection c, SqliteTransaction? t, string where, object value)
    {
        var row = Query(c, t, "SELECT experiment_id, name, lifecycle_stage, creation_time, last_update_time FROM experiments WHERE " + where,
            r => (Id: r.GetInt64(0), Name: r.GetString(1), Stage: r.GetString(2), Created: r.GetInt64(3), Updated: r.GetInt64(4)), ("$v", value)).FirstOrDefault();
        if (row.Name is null)
        {
            return null;
        }

        var id = row.Id.ToString(CultureInfo.InvariantCulture);
        return new Experiment(id, row.Name, new Uri(Path.Combine(ArtifactsRoot, id)).AbsoluteUri, row.Stage, row.Created, row.Updated,
            TagMap(c, t, "SELECT key, value FROM experiment_tags WHERE experiment_id = $e", ("$e", row.Id)));
    }

    private Run LoadRun(SqliteConnection c, SqliteTransaction? t, string runId)
    {
        var info = Query(c, t, "SELECT run_id, experiment_id, run_name, user_id, status, start_time, end_time, lifecycle_stage FROM runs WHERE run_id = $r",
            r => new RunInfo(r.GetString(0), r.GetInt64(1).ToString(CultureInfo.InvariantCulture), r.GetString(2), r.GetString(3),
                MlflowJson.ParseRunStatus(r.GetString(4)), r.GetInt64(5), r.IsDBNull(6) ? null : r.GetInt64(6), "", r.GetString(7)),
            ("$r", runId)).FirstOrDefault()
            ?? throw Fail("runs/get", MlflowErrorCodes.ResourceDoesNotExist, $"Run with id={runId} not found");
        info = info with { ArtifactUri = new Uri(RunArtifactDirectory(info.ExperimentId, runId)).AbsoluteUri };
        var latest = Query(c, t, """
            SELECT key, value, is_nan, timestamp, step FROM (
              SELECT *, ROW_NUMBER() OVER (PARTITION BY key ORDER BY step DESC, timestamp DESC, value DESC) AS rn
              FROM metrics WHERE run_id = $r) WHERE rn = 1 ORDER BY key
            """, ReadMetric, ("$r", runId));
        var @params = Query(c, t, "SELECT key, value FROM params WHERE run_id = $r ORDER BY key", r => new Param(r.GetString(0), r.GetString(1)), ("$r", runId));
        var tags = Query(c, t, "SELECT key, value FROM run_tags WHERE run_id = $r ORDER BY key", r => new RunTag(r.GetString(0), r.GetString(1)), ("$r", runId));
        return new Run(info, new RunData(latest, @params, tags));
    }

    private static void RequireRun(SqliteConnection c, SqliteTransaction? t, string runId, string operation)
    {
        if (Scalar(c, t, "SELECT 1 FROM runs WHERE run_id = $r", ("$r", runId)) is null)
        {
            throw Fail(operation, MlflowErrorCodes.ResourceDoesNotExist, $"Run with id={runId} not found");
        }
    }

    private static void CheckKey(string key, string operation)
    {
        if (MlflowRules.KeyProblem(key) is { } problem)
        {
            throw Fail(operation, MlflowErrorCodes.InvalidParameterValue, problem);
        }
    }

    private static long ParseId(string experimentId) =>
        long.TryParse(experimentId, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw Fail("experiments", MlflowErrorCodes.InvalidParameterValue, $"Experiment id '{experimentId}' is not a number.");

    private static bool RunMatches(Run run, FilterClause clause) => clause.Field switch
    {
        "tags" => run.Data.TagMap.TryGetValue(clause.Key!, out var v) && v == clause.Value,
        "params" => run.Data.ParamMap.TryGetValue(clause.Key!, out var v) && v == clause.Value,
        "run_id" => run.Info.RunId == clause.Value,
        "run_name" => run.Info.RunName == clause.Value,
        "status" => MlflowJson.EnumName(run.Info.Status) == clause.Value,
        _ => throw Fail("runs/search", MlflowErrorCodes.InvalidParameterValue, $"Unsupported search field '{clause.Field}'."),
    };
}
