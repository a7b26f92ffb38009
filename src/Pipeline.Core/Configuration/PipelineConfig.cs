using Pipeline.Configuration.Internal;
using Pipeline.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Configuration;

/// <summary>
/// Loads <c>pipeline.yaml</c> into <see cref="PipelineOptions"/>: expands <c>${VAR}</c> and
/// <c>${VAR:-default}</c>, applies command-line overrides, binds every key and checks types,
/// ranges, enum values and cross-field rules. All problems are reported together in one
/// <see cref="ConfigException"/>.
/// </summary>
public static class PipelineConfig
{
    /// <summary>The config file's conventional name, at the repository root.</summary>
    public const string DefaultFileName = "pipeline.yaml";

    /// <summary>Loads and validates the file at <paramref name="path"/>.</summary>
    /// <param name="path">The config file; messages name it as given (relative to the current directory when inside it).</param>
    /// <param name="environment">Variables for <c>${VAR}</c>; null means the process environment.</param>
    /// <param name="overrides">Key path to value, e.g. <c>train.epochs</c> = <c>3</c>, applied over the file and validated the same way; errors name the option <c>--epochs</c>.</param>
    /// <exception cref="ConfigException">The file is missing, empty, not YAML, or has invalid values; the message lists every problem.</exception>
    public static PipelineOptions Load(
        string path,
        IReadOnlyDictionary<string, string>? environment = null,
        IReadOnlyDictionary<string, string>? overrides = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var display = DisplayName(path);
        if (!File.Exists(path))
        {
            throw new ConfigException([new ConfigError(display, 0, 0, "", $"the file does not exist (looked for {Path.GetFullPath(path)}); run from the repository root or pass the config path")]);
        }

        return Parse(File.ReadAllText(path), display, environment, overrides);
    }

    /// <summary>Validates YAML text, e.g. a config read from a registered model; <paramref name="fileName"/> names it in messages.</summary>
    /// <exception cref="ConfigException">The text is empty, not YAML, or has invalid values; the message lists every problem.</exception>
    public static PipelineOptions Parse(
        string yaml,
        string fileName = DefaultFileName,
        IReadOnlyDictionary<string, string>? environment = null,
        IReadOnlyDictionary<string, string>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var errors = new ErrorSink();
        var locator = new NodeLocator(fileName);
        var root = ReadRoot(yaml, locator, errors);
        errors.ThrowIfAny();

        OverrideApplier.Apply(root!, overrides ?? new Dictionary<string, string>(), locator, errors);
        var binder = new ConfigBinder(locator, new EnvironmentExpander(environment ?? ProcessEnvironment()), errors);
        var options = (PipelineOptions)binder.BindRecord(typeof(PipelineOptions), root!, "");
        new CrossFieldRules(binder.Locations, locator.FileStart, errors).Check(options);
        errors.ThrowIfAny();
        return options;
    }

    private static YamlMappingNode? ReadRoot(string yaml, NodeLocator locator, ErrorSink errors)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            errors.Add(new ConfigLocation(locator.File, (int)ex.Start.Line, (int)ex.Start.Column), "", $"the file is not valid YAML: {YamlErrors.Describe(ex)}");
            return null;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            errors.Add(locator.FileStart, "", "the file is empty; it needs at least 'version: 1' (see the committed pipeline.yaml for every section)");
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            errors.Add(locator.Locate(stream.Documents[1].RootNode), "", "the file holds more than one YAML document; remove the '---' separator and keep one");
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            errors.Add(locator.Locate(stream.Documents[0].RootNode), "", "the file must be a mapping of sections (version, data, clean, split, format, model, train, evaluate, register)");
            return null;
        }

        return root;
    }

    private static Dictionary<string, string> ProcessEnvironment() =>
        Environment.GetEnvironmentVariables()
            .Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);

    private static string DisplayName(string path)
    {
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }
}
