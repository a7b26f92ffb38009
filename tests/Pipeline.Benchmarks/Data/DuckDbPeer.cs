using System.Diagnostics;
using DuckDB.NET.Data;

namespace Pipeline.Benchmarks.Data;

/// <summary>
/// What a user would otherwise reach for: DuckDB reads the JSONL, lower-cases and trims the
/// text, keeps lengths in [3, 2000], drops exact duplicates and writes Parquet, as one
/// statement on one thread.
/// </summary>
internal static class DuckDbPeer
{
    public static (long Rows, TimeSpan Elapsed, TimeSpan Cpu) Run(string jsonlPath, string parquetPath, int threads = 1)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using (var set = connection.CreateCommand())
        {
            set.CommandText = $"SET threads TO {threads}; SET preserve_insertion_order = false;";
            set.ExecuteNonQuery();
        }

        var cpu = ProcessCpu.Now;
        var watch = Stopwatch.StartNew();
        using var copy = connection.CreateCommand();
        copy.CommandText =
            $$"""
            COPY (
              SELECT any_value(id) AS id, t AS text, any_value(label) AS label
              FROM (
                SELECT id, lower(trim(text)) AS t, label
                FROM read_json('{{Escape(jsonlPath)}}', format = 'newline_delimited',
                               columns = {id: 'VARCHAR', text: 'VARCHAR', label: 'VARCHAR'})
              )
              WHERE length(t) BETWEEN 3 AND 2000
              GROUP BY t
            ) TO '{{Escape(parquetPath)}}' (FORMAT parquet)
            """;
        var written = copy.ExecuteNonQuery();
        watch.Stop();
        return (written, watch.Elapsed, ProcessCpu.Since(ref cpu));
    }

    private static string Escape(string path) => path.Replace("'", "''", StringComparison.Ordinal);
}
