using Microsoft.Data.Sqlite;

namespace Pipeline.Registry;

public sealed partial class LocalRegistry
{
    /// <inheritdoc />
    public Task<RegisteredModel> CreateRegisteredModelAsync(string name, string? description = null, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw Fail("registered-models/create", MlflowErrorCodes.InvalidParameterValue, "Registered model name must not be empty.");
        }

        try
        {
            return Task.FromResult(Write((c, t) =>
            {
                var now = Now();
                Execute(c, t, "INSERT INTO registered_models VALUES ($n, $now, $now, $d)", ("$n", name), ("$now", now), ("$d", description ?? ""));
                foreach (var tag in tags ?? new Dictionary<string, string>())
                {
                    Execute(c, t, "INSERT OR REPLACE INTO registered_model_tags VALUES ($n, $k, $v)", ("$n", name), ("$k", tag.Key), ("$v", tag.Value));
                }

                return LoadModel(c, t, name, "registered-models/create");
            }));
        }
        catch (SqliteException ex) when (IsUniqueViolation(ex))
        {
            throw Fail("registered-models/create", MlflowErrorCodes.ResourceAlreadyExists, $"Registered Model (name={name}) already exists.");
        }
    }

    /// <inheritdoc />
    public Task<RegisteredModel> GetRegisteredModelAsync(string name, CancellationToken cancellationToken = default) =>
        Task.FromResult(Read(c => LoadModel(c, null, name, "registered-models/get")));

    /// <inheritdoc />
    public Task<PagedList<RegisteredModel>> SearchRegisteredModelsAsync(int maxResults = 100, string? pageToken = null, CancellationToken cancellationToken = default)
    {
        var all = Read(c => Query(c, null, "SELECT name FROM registered_models ORDER BY name", r => r.GetString(0))
            .Select(n => LoadModel(c, null, n, "registered-models/search")).ToList());
        return Task.FromResult(PageToken.Page(all, maxResults, pageToken));
    }

    /// <inheritdoc />
    public Task SetRegisteredModelTagAsync(string name, string key, string value, CancellationToken cancellationToken = default)
    {
        CheckKey(key, "registered-models/set-tag");
        Write((c, t) =>
        {
            RequireModel(c, t, name, "registered-models/set-tag");
            return Execute(c, t, "INSERT OR REPLACE INTO registered_model_tags VALUES ($n, $k, $v)", ("$n", name), ("$k", key), ("$v", value));
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task DeleteRegisteredModelTagAsync(string name, string key, CancellationToken cancellationToken = default)
    {
        Write((c, t) =>
        {
            RequireModel(c, t, name, "registered-models/delete-tag");
            return Execute(c, t, "DELETE FROM registered_model_tags WHERE name = $n AND key = $k", ("$n", name), ("$k", key));
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<ModelVersion> CreateModelVersionAsync(string name, string source, string? runId = null, IReadOnlyDictionary<string, string>? tags = null, string? description = null, TimeSpan? awaitCreationFor = null, CancellationToken cancellationToken = default)
    {
        CheckSource(source);

        // One IMMEDIATE transaction: the next number is read and taken under the write lock, so
        // concurrent registrations (threads or processes) get 1, 2, 3... without gaps or repeats.
        return Task.FromResult(Write((c, t) => InsertVersion(c, t, name, source, runId, tags, description)));
    }

    private static void CheckSource(string source)
    {
        if (string.IsNullOrWhiteSpace(source) || source.Contains("..", StringComparison.Ordinal) || source.Contains("%2e%2e", StringComparison.OrdinalIgnoreCase))
        {
            throw Fail("model-versions/create", MlflowErrorCodes.InvalidParameterValue, $"Invalid model version source '{source}': it must be set and must not contain '..'.");
        }
    }

    private static ModelVersion InsertVersion(SqliteConnection c, SqliteTransaction t, string name, string source, string? runId, IReadOnlyDictionary<string, string>? tags, string? description)
    {
        RequireModel(c, t, name, "model-versions/create");
        if (runId is not null)
        {
            RequireRun(c, t, runId, "model-versions/create");
        }

        var version = Convert.ToInt32(Scalar(c, t, "SELECT COALESCE(MAX(version), 0) + 1 FROM model_versions WHERE name = $n", ("$n", name)), System.Globalization.CultureInfo.InvariantCulture);
        var now = Now();
        Execute(c, t, "INSERT INTO model_versions VALUES ($n, $v, $now, $now, $d, $s, $r, 'READY', '')",
            ("$n", name), ("$v", version), ("$now", now), ("$d", description ?? ""), ("$s", source), ("$r", runId ?? ""));
        foreach (var tag in tags ?? new Dictionary<string, string>())
        {
            Execute(c, t, "INSERT OR REPLACE INTO model_version_tags VALUES ($n, $v, $k, $val)", ("$n", name), ("$v", version), ("$k", tag.Key), ("$val", tag.Value));
        }

        Execute(c, t, "UPDATE registered_models SET last_updated_timestamp = $now WHERE name = $n", ("$now", now), ("$n", name));
        return LoadVersion(c, t, name, version, "model-versions/create");
    }

    /// <summary>
    /// The lowest version of <paramref name="name"/> registered for <paramref name="runId"/>, else a new
    /// one, in one transaction (the model is created when missing): concurrent registrations of the
    /// same run, from threads or processes, all get the same version.
    /// </summary>
    public Task<ModelVersion> GetOrCreateModelVersionForRunAsync(string name, string source, string runId, IReadOnlyDictionary<string, string>? tags = null, string? description = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(Write((c, t) =>
        {
            CheckSource(source);
            var now = Now();
            Execute(c, t, "INSERT OR IGNORE INTO registered_models VALUES ($n, $now, $now, '')", ("$n", name), ("$now", now));
            if (Scalar(c, t, "SELECT MIN(version) FROM model_versions WHERE name = $n AND run_id = $r", ("$n", name), ("$r", runId)) is { } existing)
            {
                return LoadVersion(c, t, name, Convert.ToInt32(existing, System.Globalization.CultureInfo.InvariantCulture), "model-versions/create");
            }

            return InsertVersion(c, t, name, source, runId, tags, description);
        }));

    /// <inheritdoc />
    public Task<ModelVersion> GetModelVersionAsync(string name, int version, CancellationToken cancellationToken = default) =>
        Task.FromResult(Read(c => LoadVersion(c, null, name, version, "model-versions/get")));

    /// <inheritdoc />
    public Task<PagedList<ModelVersion>> SearchModelVersionsAsync(string? filter = null, int maxResults = 200, string? pageToken = null, CancellationToken cancellationToken = default)
    {
        var clauses = SearchFilter.Parse(filter);
        var all = Read(c => Query(c, null, "SELECT name, version FROM model_versions ORDER BY creation_timestamp DESC, version DESC, name",
                r => (Name: r.GetString(0), Version: r.GetInt32(1)))
            .Select(v => LoadVersion(c, null, v.Name, v.Version, "model-versions/search"))
            .Where(v => clauses.All(cl => VersionMatches(v, cl)))
            .ToList());
        return Task.FromResult(PageToken.Page(all, maxResults, pageToken));
    }

    /// <inheritdoc />
    public Task<ModelVersion> UpdateModelVersionAsync(string name, int version, string description, CancellationToken cancellationToken = default) =>
        Task.FromResult(Write((c, t) =>
        {
            LoadVersion(c, t, name, version, "model-versions/update");
            Execute(c, t, "UPDATE model_versions SET description = $d, last_updated_timestamp = $now WHERE name = $n AND version = $v",
                ("$d", description), ("$now", Now()), ("$n", name), ("$v", version));
            return LoadVersion(c, t, name, version, "model-versions/update");
        }));

    /// <inheritdoc />
    public Task SetModelVersionTagAsync(string name, int version, string key, string value, CancellationToken cancellationToken = default)
    {
        CheckKey(key, "model-versions/set-tag");
        Write((c, t) =>
        {
            LoadVersion(c, t, name, version, "model-versions/set-tag");
            return Execute(c, t, "INSERT OR REPLACE INTO model_version_tags VALUES ($n, $v, $k, $val)", ("$n", name), ("$v", version), ("$k", key), ("$val", value));
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task DeleteModelVersionTagAsync(string name, int version, string key, CancellationToken cancellationToken = default)
    {
        Write((c, t) =>
        {
            LoadVersion(c, t, name, version, "model-versions/delete-tag");
            return Execute(c, t, "DELETE FROM model_version_tags WHERE name = $n AND version = $v AND key = $k", ("$n", name), ("$v", version), ("$k", key));
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task SetRegisteredModelAliasAsync(string name, string alias, int version, CancellationToken cancellationToken = default)
    {
        if (MlflowRules.AliasProblem(alias) is { } problem)
        {
            throw Fail("registered-models/alias", MlflowErrorCodes.InvalidParameterValue, problem);
        }

        // One statement under the write lock: the alias moves atomically, never points at two versions.
        Write((c, t) =>
        {
            LoadVersion(c, t, name, version, "registered-models/alias");
            return Execute(c, t, "INSERT OR REPLACE INTO registered_model_aliases VALUES ($n, $a, $v)", ("$n", name), ("$a", alias), ("$v", version));
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task DeleteRegisteredModelAliasAsync(string name, string alias, CancellationToken cancellationToken = default)
    {
        Write((c, t) =>
        {
            RequireModel(c, t, name, "registered-models/alias");
            return Execute(c, t, "DELETE FROM registered_model_aliases WHERE name = $n AND alias = $a", ("$n", name), ("$a", alias));
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<ModelVersion> GetModelVersionByAliasAsync(string name, string alias, CancellationToken cancellationToken = default) =>
        Task.FromResult(Read(c =>
        {
            RequireModel(c, null, name, "registered-models/alias");
            var version = Scalar(c, null, "SELECT version FROM registered_model_aliases WHERE name = $n AND alias = $a", ("$n", name), ("$a", alias))
                ?? throw Fail("registered-models/alias", MlflowErrorCodes.InvalidParameterValue, $"Registered model alias {alias} not found.");
            return LoadVersion(c, null, name, Convert.ToInt32(version, System.Globalization.CultureInfo.InvariantCulture), "registered-models/alias");
        }));

    private static void RequireModel(SqliteConnection c, SqliteTransaction? t, string name, string operation)
    {
        if (Scalar(c, t, "SELECT 1 FROM registered_models WHERE name = $n", ("$n", name)) is null)
        {
            throw Fail(operation, MlflowErrorCodes.ResourceDoesNotExist, $"Registered Model with name={name} not found");
        }
    }

    private static RegisteredModel LoadModel(SqliteConnection c, SqliteTransaction? t, string name, string operation)
    {
        var row = Query(c, t, "SELECT creation_timestamp, last_updated_timestamp, description FROM registered_models WHERE name = $n",
            r => (Created: r.GetInt64(0), Updated: r.GetInt64(1), Description: r.GetString(2)), ("$n", name));
        if (row.Count == 0)
        {
            throw Fail(operation, MlflowErrorCodes.ResourceDoesNotExist, $"Registered Model with name={name} not found");
        }

        var aliases = Query(c, t, "SELECT alias, version FROM registered_model_aliases WHERE name = $n ORDER BY alias",
            r => KeyValuePair.Create(r.GetString(0), r.GetInt32(1)), ("$n", name)).ToDictionary(StringComparer.Ordinal);
        return new RegisteredModel(name, row[0].Created, row[0].Updated, row[0].Description,
            TagMap(c, t, "SELECT key, value FROM registered_model_tags WHERE name = $n", ("$n", name)), aliases);
    }

    private static ModelVersion LoadVersion(SqliteConnection c, SqliteTransaction? t, string name, int version, string operation)
    {
        var row = Query(c, t, "SELECT creation_timestamp, last_updated_timestamp, description, source, run_id, status, status_message FROM model_versions WHERE name = $n AND version = $v",
            r => new ModelVersion(name, version, r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4),
                MlflowJson.ParseVersionStatus(r.GetString(5)), r.GetString(6), new Dictionary<string, string>(), []),
            ("$n", name), ("$v", version)).FirstOrDefault()
            ?? throw Fail(operation, MlflowErrorCodes.ResourceDoesNotExist, $"Model Version (name={name}, version={version}) not found");
        return row with
        {
            Tags = TagMap(c, t, "SELECT key, value FROM model_version_tags WHERE name = $n AND version = $v", ("$n", name), ("$v", version)),
            Aliases = Query(c, t, "SELECT alias FROM registered_model_aliases WHERE name = $n AND version = $v ORDER BY alias", r => r.GetString(0), ("$n", name), ("$v", version)),
        };
    }

    private static bool VersionMatches(ModelVersion v, FilterClause clause) => clause.Field switch
    {
        "name" => v.Name == clause.Value,
        "run_id" => v.RunId == clause.Value,
        "source_path" => v.Source == clause.Value,
        "version_number" => v.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) == clause.Value,
        "tags" => v.Tags.TryGetValue(clause.Key!, out var value) && value == clause.Value,
        _ => throw Fail("model-versions/search", MlflowErrorCodes.InvalidParameterValue, $"Unsupported search field '{clause.Field}'."),
    };
}
