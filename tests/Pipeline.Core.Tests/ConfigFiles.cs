using Pipeline.Configuration;
using Pipeline.Errors;

namespace Pipeline.Core.Tests;

/// <summary>Helpers: the repository root, and parsing YAML text named <c>pipeline.yaml</c> with an empty environment.</summary>
internal static class ConfigFiles
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    /// <summary>The folder holding Pipeline.sln, found by walking up from the test output.</summary>
    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Pipeline.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Pipeline.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Parses <paramref name="yaml"/> as if it were pipeline.yaml.</summary>
    public static PipelineOptions Parse(string yaml, IReadOnlyDictionary<string, string>? environment = null, IReadOnlyDictionary<string, string>? overrides = null) =>
        PipelineConfig.Parse(yaml, "pipeline.yaml", environment ?? NoEnvironment, overrides);

    /// <summary>The errors <paramref name="yaml"/> must raise, each as its one-line text.</summary>
    public static IReadOnlyList<string> Errors(string yaml, IReadOnlyDictionary<string, string>? environment = null, IReadOnlyDictionary<string, string>? overrides = null) =>
        [.. Assert.Throws<ConfigException>(() => Parse(yaml, environment, overrides)).Errors.Select(e => e.ToString())];

    /// <summary>The one error <paramref name="yaml"/> must raise, as its one-line text.</summary>
    public static string SingleError(string yaml, IReadOnlyDictionary<string, string>? environment = null, IReadOnlyDictionary<string, string>? overrides = null) =>
        Assert.Single(Errors(yaml, environment, overrides));
}
