using Microsoft.Data.Sqlite;

namespace Pipeline.Registry;

/// <summary>The local registry's tables, modelled on MLflow's SQL store.</summary>
internal static class LocalSchema
{
    private const string Ddl = """
        CREATE TABLE IF NOT EXISTS experiments (
            experiment_id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL UNIQUE,
            lifecycle_stage TEXT NOT NULL DEFAULT 'active',
            creation_time INTEGER NOT NULL,
            last_update_time INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS experiment_tags (
            experiment_id INTEGER NOT NULL REFERENCES experiments(experiment_id),
            key TEXT NOT NULL, value TEXT NOT NULL,
            PRIMARY KEY (experiment_id, key));
        CREATE TABLE IF NOT EXISTS runs (
            run_id TEXT PRIMARY KEY,
            experiment_id INTEGER NOT NULL REFERENCES experiments(experiment_id),
            run_name TEXT NOT NULL, user_id TEXT NOT NULL, status TEXT NOT NULL,
            start_time INTEGER NOT NULL, end_time INTEGER,
            lifecycle_stage TEXT NOT NULL DEFAULT 'active');
        CREATE TABLE IF NOT EXISTS params (
            run_id TEXT NOT NULL REFERENCES runs(run_id), key TEXT NOT NULL, value TEXT NOT NULL,
            PRIMARY KEY (run_id, key));
        CREATE TABLE IF NOT EXISTS run_tags (
            run_id TEXT NOT NULL REFERENCES runs(run_id), key TEXT NOT NULL, value TEXT NOT NULL,
            PRIMARY KEY (run_id, key));
        CREATE TABLE IF NOT EXISTS metrics (
            run_id TEXT NOT NULL REFERENCES runs(run_id), key TEXT NOT NULL, value REAL, is_nan INTEGER NOT NULL,
            timestamp INTEGER NOT NULL, step INTEGER NOT NULL,
            PRIMARY KEY (run_id, key, timestamp, step, value, is_nan));
        CREATE TABLE IF NOT EXISTS registered_models (
            name TEXT PRIMARY KEY,
            creation_timestamp INTEGER NOT NULL, last_updated_timestamp INTEGER NOT NULL,
            description TEXT NOT NULL DEFAULT '');
        CREATE TABLE IF NOT EXISTS registered_model_tags (
            name TEXT NOT NULL REFERENCES registered_models(name), key TEXT NOT NULL, value TEXT NOT NULL,
            PRIMARY KEY (name, key));
        CREATE TABLE IF NOT EXISTS model_versions (
            name TEXT NOT NULL REFERENCES registered_models(name), version INTEGER NOT NULL,
            creation_timestamp INTEGER NOT NULL, last_updated_timestamp INTEGER NOT NULL,
            description TEXT NOT NULL DEFAULT '', source TEXT NOT NULL, run_id TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL, status_message TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (name, version));
        CREATE INDEX IF NOT EXISTS model_versions_run ON model_versions(run_id);
        CREATE TABLE IF NOT EXISTS model_version_tags (
            name TEXT NOT NULL, version INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
            PRIMARY KEY (name, version, key),
            FOREIGN KEY (name, version) REFERENCES model_versions(name, version));
        CREATE TABLE IF NOT EXISTS registered_model_aliases (
            name TEXT NOT NULL REFERENCES registered_models(name), alias TEXT NOT NULL, version INTEGER NOT NULL,
            PRIMARY KEY (name, alias),
            FOREIGN KEY (name, version) REFERENCES model_versions(name, version));
        PRAGMA user_version = 1;
        """;

    public static void Ensure(SqliteConnection connection)
    {
        using (var wal = connection.CreateCommand())
        {
            // WAL lets readers run while another process writes; it persists in the file.
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteNonQuery();
        }

        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = Ddl;
        command.ExecuteNonQuery();
        transaction.Commit();
    }
}
