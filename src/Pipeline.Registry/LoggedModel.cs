using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text;
using Pipeline.Errors;
using Pipeline.IO;

namespace Pipeline.Registry;

/// <summary>What goes into a logged model's <c>MLmodel</c> file besides the fixed keys.</summary>
public sealed record LoggedModelInfo
{
    /// <summary>The run that produced the model. Required.</summary>
    public required string RunId { get; init; }

    /// <summary>Where the folder lives under the run's artifacts. Default <c>model</c>.</summary>
    public string ArtifactPath { get; init; } = "model";

    /// <summary>Keys of our flavor (e.g. <c>format: safetensors</c>, <c>data: data/</c>, <c>base_model</c>). Default empty.</summary>
    public IReadOnlyDictionary<string, string> FlavorConfig { get; init; } = new Dictionary<string, string>();

    /// <summary>Free metadata MLflow tools show (<c>metadata:</c>), e.g. commit and data fingerprint. Default empty.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>The MLflow version whose MLmodel schema the file follows. Default 2.12.2 (the version checked in MLFLOW.md).</summary>
    public string MlflowVersion { get; init; } = "2.12.2";
}

/// <summary>What <see cref="LoggedModel.WriteAsync"/> wrote: the model's uuid and creation time (MLflow's format).</summary>
public sealed record LoggedModelDescriptor(string ModelUuid, string UtcTimeCreated);

/// <summary>
/// The logged model folder: an <c>MLmodel</c> file with our own flavor
/// (<see cref="FlavorName"/>) and a <c>checksums.sha256</c> over every file, checked on download.
/// </summary>
public static class LoggedModel
{
    /// <summary>The model descriptor MLflow tools read.</summary>
    public const string MLmodelFileName = "MLmodel";

    /// <summary>sha256sum-format list of every other file in the folder.</summary>
    public const string ChecksumsFileName = "checksums.sha256";

    /// <summary>Run tag listing the models logged to the run (a JSON array), read by MLflow's UI.</summary>
    public const string HistoryTag = "mlflow.log-model.history";

    /// <summary>Our flavor: not <c>python_function</c>, so MLflow lists and downloads the model but does not try to load it.</summary>
    public const string FlavorName = "pipeline_torchsharp";

    private static readonly JsonSerializerOptions QuoteOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Writes <c>MLmodel</c> and then <c>checksums.sha256</c> into <paramref name="folder"/> (each
    /// atomically) and returns the model_uuid and creation time written.
    /// </summary>
    public static async Task<LoggedModelDescriptor> WriteAsync(string folder, LoggedModelInfo info, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (!Directory.Exists(folder))
        {
            throw new PipelineException($"Model folder '{folder}' does not exist; write the weights there before logging the model.");
        }

        var uuid = Guid.NewGuid().ToString("N");
        var created = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
        var size = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => !IsMetaFile(folder, f)).Sum(f => new FileInfo(f).Length);
        // Written by hand so every string is quoted: PyYAML (MLflow's reader) would otherwise turn
        // 'yes' into a bool, '0123' into an octal number and the creation time into a datetime.
        var yaml = new StringBuilder()
            .Append("artifact_path: ").Append(Quote(info.ArtifactPath)).Append('\n')
            .Append("flavors:\n  ").Append(FlavorName).Append(':');
        AppendMapping(yaml, info.FlavorConfig, "    ");
        if (info.Metadata.Count > 0)
        {
            yaml.Append("metadata:");
            AppendMapping(yaml, info.Metadata, "  ");
        }

        yaml.Append("mlflow_version: ").Append(Quote(info.MlflowVersion)).Append('\n')
            .Append("model_size_bytes: ").Append(size.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("model_uuid: ").Append(Quote(uuid)).Append('\n')
            .Append("run_id: ").Append(Quote(info.RunId)).Append('\n')
            .Append("utc_time_created: ").Append(Quote(created)).Append('\n');
        await AtomicFile.WriteAllTextAsync(Path.Combine(folder, MLmodelFileName), yaml.ToString(), cancellationToken).ConfigureAwait(false);
        await WriteChecksumsAsync(folder, cancellationToken).ConfigureAwait(false);
        return new LoggedModelDescriptor(uuid, created);
    }

    /// <summary>
    /// Logs a model folder to a run: writes <c>MLmodel</c> and checksums, uploads every file
    /// (streamed, <c>MLmodel</c> last) under <see cref="LoggedModelInfo.ArtifactPath"/>, and appends
    /// the model to the run's <c>mlflow.log-model.history</c> tag so MLflow's UI lists it.
    /// Returns the run-relative source for <c>model-versions/create</c> (<c>runs:/&lt;run_id&gt;/model</c>).
    /// </summary>
    public static async Task<string> LogAsync(IMlflowClient client, string folder, LoggedModelInfo info, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(info);
        var descriptor = await WriteAsync(folder, info, cancellationToken).ConfigureAwait(false);
        await client.LogArtifactsAsync(info.RunId, folder, info.ArtifactPath, cancellationToken).ConfigureAwait(false);
        var run = await client.GetRunAsync(info.RunId, cancellationToken).ConfigureAwait(false);
        var history = run.Data.TagMap.TryGetValue(HistoryTag, out var existing) && JsonNode.Parse(existing) is JsonArray array ? array : [];
        history.Add(new JsonObject
        {
            ["run_id"] = info.RunId,
            ["artifact_path"] = info.ArtifactPath,
            ["utc_time_created"] = descriptor.UtcTimeCreated,
            ["model_uuid"] = descriptor.ModelUuid,
            ["flavors"] = new JsonObject { [FlavorName] = new JsonObject(info.FlavorConfig.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))) },
        });
        await client.SetTagAsync(info.RunId, HistoryTag, history.ToJsonString(), cancellationToken).ConfigureAwait(false);
        return $"runs:/{info.RunId}/{ArtifactPaths.Normalize(info.ArtifactPath)}";
    }

    /// <summary>Writes <c>checksums.sha256</c>: one <c>&lt;sha256&gt;  &lt;relative/path&gt;</c> line per file, sorted.</summary>
    public static async Task WriteChecksumsAsync(string folder, CancellationToken cancellationToken = default)
    {
        var lines = new StringBuilder();
        foreach (var (relative, full) in Files(folder))
        {
            lines.Append(await Sha256Async(full, cancellationToken).ConfigureAwait(false)).Append("  ").Append(relative).Append('\n');
        }

        await AtomicFile.WriteAllTextAsync(Path.Combine(folder, ChecksumsFileName), lines.ToString(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks every file listed in <c>checksums.sha256</c>, and that no file is unlisted; throws
    /// <see cref="ModelChecksumException"/> naming the first file that differs.
    /// </summary>
    public static async Task VerifyAsync(string folder, CancellationToken cancellationToken = default)
    {
        var listPath = Path.Combine(folder, ChecksumsFileName);
        if (!File.Exists(listPath))
        {
            throw new ModelChecksumException(listPath, $"Model folder '{folder}' has no {ChecksumsFileName}; it was not written by LoggedModel.WriteAsync or the download is incomplete.");
        }

        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in await File.ReadAllLinesAsync(listPath, cancellationToken).ConfigureAwait(false))
        {
            if (line.Length > 66)
            {
                expected[line[66..]] = line[..64];
            }
        }

        var actual = Files(folder).ToDictionary(f => f.Relative, f => f.Full, StringComparer.Ordinal);
        foreach (var (relative, hash) in expected)
        {
            if (!actual.TryGetValue(relative, out var full))
            {
                throw new ModelChecksumException(relative, $"Model file '{relative}' listed in {ChecksumsFileName} is missing from '{folder}'. Download the model again.");
            }

            var got = await Sha256Async(full, cancellationToken).ConfigureAwait(false);
            if (!string.Equals(got, hash, StringComparison.OrdinalIgnoreCase))
            {
                throw new ModelChecksumException(relative, $"Model file '{relative}' in '{folder}' has sha256 {got}, expected {hash}: the file is corrupt or was changed. Download the model again.");
            }
        }

        if (actual.Keys.FirstOrDefault(k => !expected.ContainsKey(k)) is { } extra)
        {
            throw new ModelChecksumException(extra, $"Model file '{extra}' in '{folder}' is not listed in {ChecksumsFileName}; the folder was changed after logging.");
        }
    }

    /// <summary>Downloads the model folder of a run (streamed) and verifies its checksums.</summary>
    public static async Task DownloadAsync(IMlflowClient client, string runId, string artifactPath, string localFolder, CancellationToken cancellationToken = default)
    {
        await client.DownloadArtifactsAsync(runId, artifactPath, localFolder, cancellationToken).ConfigureAwait(false);
        await VerifyAsync(localFolder, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The run's logged model in <paramref name="localFolder"/>: reused when it still verifies,
    /// else downloaded into a staging sibling, verified, and renamed into place (a copy another
    /// process renamed there first is kept). <paramref name="onStale"/> hears why an existing copy
    /// was thrown away. Returns the folder.
    /// </summary>
    /// <exception cref="ModelChecksumException">The download does not match its checksums.</exception>
    public static async Task<string> FetchAsync(
        IMlflowClient client, string runId, string artifactPath, string localFolder,
        Action<ModelChecksumException>? onStale = null, CancellationToken cancellationToken = default)
    {
        var folder = Path.GetFullPath(localFolder);
        if (Directory.Exists(folder))
        {
            try
            {
                await VerifyAsync(folder, cancellationToken).ConfigureAwait(false);
                return folder;
            }
            catch (ModelChecksumException ex)
            {
                onStale?.Invoke(ex);
                Directory.Delete(folder, recursive: true);
            }
        }

        var staging = folder + ".download-" + Guid.NewGuid().ToString("N");
        try
        {
            await DownloadAsync(client, runId, artifactPath, staging, cancellationToken).ConfigureAwait(false);
            Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
            try
            {
                Directory.Move(staging, folder);
            }
            catch (IOException) when (Directory.Exists(folder))
            {
                // Another process sharing the folder finished first; its copy was verified too.
            }
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }

        return folder;
    }

    private static void AppendMapping(StringBuilder yaml, IReadOnlyDictionary<string, string> values, string indent)
    {
        if (values.Count == 0)
        {
            yaml.Append(" {}\n");
            return;
        }

        yaml.Append('\n');
        foreach (var (key, value) in values.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            yaml.Append(indent).Append(Quote(key)).Append(": ").Append(Quote(value)).Append('\n');
        }
    }

    /// <summary>A YAML double-quoted scalar (JSON string syntax is valid YAML).</summary>
    private static string Quote(string value) => JsonSerializer.Serialize(value, QuoteOptions);

    private static IEnumerable<(string Relative, string Full)> Files(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => !IsMetaFile(folder, f) || Path.GetFileName(f) == MLmodelFileName)
            .Where(f => !f.EndsWith(".tmp", StringComparison.Ordinal))
            .Select(f => (Path.GetRelativePath(folder, f).Replace('\\', '/'), f))
            .Where(f => f.Item1 != ChecksumsFileName)
            .OrderBy(f => f.Item1, StringComparer.Ordinal);

    private static bool IsMetaFile(string folder, string file)
    {
        var relative = Path.GetRelativePath(folder, file).Replace('\\', '/');
        return relative is MLmodelFileName or ChecksumsFileName;
    }

    private static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        }
    }
}
