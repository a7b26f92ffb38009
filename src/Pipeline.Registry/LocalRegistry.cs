using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Pipeline.Registry;

/// <summary>
/// The embedded registry used when no <c>MLFLOW_TRACKING_URI</c> is set: MLflow's entities and
/// rules in a SQLite database (<c>mlruns/registry.db</c>) plus an artifact folder
/// (<c>mlruns/artifacts/&lt;experiment_id&gt;/&lt;run_id&gt;/artifacts/...</c>). Not MLflow's
/// deprecated file-store layout. Safe for several processes at once: every write is one
/// IMMEDIATE transaction, names are unique constraints, and a busy timeout waits for the lock.
/// </summary>
/// <remarks>
/// Microsoft.Data.Sqlite runs its async methods synchronously, so the store uses the sync API
/// and returns completed tasks; artifact file copies are truly asynchronous.
/// </remarks>
public sealed partial class LocalRegistry : IMlflowClient
{
    /// <summary>Database file name under the root.</summary>
    public const string DatabaseFileName = "registry.db";

    private const int BusyTimeoutSeconds = 60;
    private readonly string _connectionString;
    private readonly ILogger _logger;

    /// <summary>Opens (creating when needed) the registry under <paramref name="root"/>, by default <c>./mlruns</c>.</summary>
    public LocalRegistry(string root = "mlruns", ILogger? logger = null)
    {
        Root = Path.GetFullPath(root);
        _logger = logger ?? NullLogger.Instance;
        Directory.CreateDirectory(ArtifactsRoot);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(Root, DatabaseFileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = BusyTimeoutSeconds,
        }.ToString();
        using var connection = Open();
        LocalSchema.Ensure(connection);
        _logger.LogDebug("Local MLflow registry at {Root}.", Root);
    }

    /// <summary>The registry folder (absolute).</summary>
    public string Root { get; }

    /// <summary>Where run artifacts live: <c>&lt;Root&gt;/artifacts</c>.</summary>
    public string ArtifactsRoot => Path.Combine(Root, "artifacts");

    /// <inheritdoc />
    public void Dispose()
    {
        // Connections are opened per call and closed at once; nothing to release.
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutSeconds * 1000}; PRAGMA foreign_keys = ON;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    private T Read<T>(Func<SqliteConnection, T> work)
    {
        using var connection = Open();
        return work(connection);
    }

    private T Write<T>(Func<SqliteConnection, SqliteTransaction, T> work)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        var result = work(connection, transaction);
        transaction.Commit();
        return result;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] args)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // SQL text is constant; values are always parameters.
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach (var (name, value) in args)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static int Execute(SqliteConnection c, SqliteTransaction? t, string sql, params (string, object?)[] args)
    {
        using var command = Command(c, t, sql, args);
        return command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection c, SqliteTransaction? t, string sql, params (string, object?)[] args)
    {
        using var command = Command(c, t, sql, args);
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    private static List<T> Query<T>(SqliteConnection c, SqliteTransaction? t, string sql, Func<SqliteDataReader, T> map, params (string, object?)[] args)
    {
        using var command = Command(c, t, sql, args);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    private static Dictionary<string, string> TagMap(SqliteConnection c, SqliteTransaction? t, string sql, params (string, object?)[] args) =>
        Query(c, t, sql, r => KeyValuePair.Create(r.GetString(0), r.GetString(1)), args).ToDictionary(StringComparer.Ordinal);

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static MlflowApiException Fail(string operation, string errorCode, string message) =>
        new("local registry " + operation, MlflowErrorCodes.HttpStatusOf(errorCode), errorCode, message);

    private static bool IsUniqueViolation(SqliteException ex) => ex.SqliteErrorCode == 19;
}
