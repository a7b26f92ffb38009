namespace Pipeline.Data;

/// <summary>Where the data stages write under the artifacts folder.</summary>
public static class DataArtifacts
{
    /// <summary><c>artifacts/ingest</c>: records.jsonl, rejects.jsonl, summary.json.</summary>
    public static string Ingest(string artifacts) => Path.Combine(artifacts, "ingest");

    /// <summary><c>artifacts/clean</c>: records.jsonl, removed.jsonl, summary.json.</summary>
    public static string Clean(string artifacts) => Path.Combine(artifacts, "clean");

    /// <summary><c>artifacts/format</c>: train/validation/test.shard, labels.json, manifest.json, summary.json.</summary>
    public static string Format(string artifacts) => Path.Combine(artifacts, "format");

    /// <summary><c>artifacts/data</c>: report.json, report.md.</summary>
    public static string Report(string artifacts) => Path.Combine(artifacts, "data");

    /// <summary><c>artifacts/cache</c>: extracted built-in vocabularies.</summary>
    public static string Cache(string artifacts) => Path.Combine(artifacts, "cache");
}
