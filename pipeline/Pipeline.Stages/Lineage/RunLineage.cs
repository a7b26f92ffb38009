using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using Pipeline.Configuration;

namespace Pipeline.Stages.Lineage;

/// <summary>The lineage of the run being built, as the model stages record it.</summary>
internal static class RunLineage
{
    /// <summary>The data paths (the folder part of each source glob) and the config file, relative to the repository.</summary>
    public static LineageOptions Options(StageSettings settings, PipelineOptions config)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(config);
        var configPath = Path.GetRelativePath(settings.RepositoryRoot, settings.ResolvedConfigPath).Replace('\\', '/');
        var data = LineageOptions.FoldersOf(config.Data.Sources.Select(s => s.Path));
        return new LineageOptions
        {
            DataPaths = data.Count > 0 ? data : new LineageOptions().DataPaths,
            ConfigPaths = [configPath],
        };
    }

    /// <summary>Reads the Git context of the working tree.</summary>
    /// <exception cref="Errors.PipelineException">The repository root is not a Git repository or has no commit.</exception>
    public static Task<GitContext> ReadAsync(StageSettings settings, PipelineOptions config, CancellationToken cancellationToken) =>
        GitLineage.ReadAsync(settings.RepositoryRoot, Options(settings, config), cancellationToken);

    /// <summary>The hash of the effective config (the file plus command-line overrides), as canonical JSON: <c>xxh128:…</c>.</summary>
    public static string ConfigHash(PipelineOptions config) =>
        "xxh128:" + Convert.ToHexStringLower(XxHash128.Hash(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(config))));
}
