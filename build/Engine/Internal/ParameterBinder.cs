using System.Text.Json;

namespace Pipeline.Build.Internal;

/// <summary>
/// Sets each parameter from the first source that has it: command line, environment,
/// <c>.nuke/parameters.json</c>; otherwise the member keeps its initial value.
/// </summary>
internal sealed class ParameterBinder(IReadOnlyList<BuildParameter> parameters, IReadOnlyDictionary<string, string> environment, string rootDirectory)
{
    private static readonly JsonDocumentOptions JsonOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Words left over after options took their values (<c>--force Train</c>): more target names.</summary>
    public List<string> ExtraPositional { get; } = [];

    /// <summary>The <c>Target</c> list from <c>parameters.json</c>, if any.</summary>
    public List<string>? JsonTargets { get; private set; }

    /// <summary>The <c>Skip</c> list from <c>parameters.json</c>, if any.</summary>
    public List<string>? JsonSkip { get; private set; }

    /// <summary>Binds every parameter of <paramref name="build"/>; leaves unknown options in <paramref name="commandLine"/>.</summary>
    /// <exception cref="BuildDefinitionException">A value does not fit its parameter's type, or parameters.json has an unknown key.</exception>
    public void Bind(NukeBuild build, CommandLine commandLine)
    {
        var json = ReadJson();
        foreach (var parameter in parameters)
        {
            if (commandLine.Take(parameter.Name) is { } option)
            {
                Set(build, parameter, TakeValues(parameter, option), "the command line");
            }
            else if (FindEnvironment(parameter) is { } variable)
            {
                Set(build, parameter, Split(parameter, environment[variable]), $"environment variable {variable}");
            }
            else if (json.TryGetValue(Naming.Normalize(parameter.Name), out var element))
            {
                Set(build, parameter, JsonValues(parameter, element), ".nuke/parameters.json");
            }
        }
    }

    private List<string> TakeValues(BuildParameter parameter, CommandLineOption option)
    {
        if (ValueConverter.IsArray(parameter.Type))
        {
            return option.Values;
        }

        var values = option.Values;
        if (ValueConverter.IsBool(parameter.Type))
        {
            var explicitValue = values.Count > 0 && bool.TryParse(values[0], out _);
            ExtraPositional.AddRange(values.Skip(explicitValue ? 1 : 0));
            return [explicitValue ? values[0] : "true"];
        }

        if (values.Count == 0)
        {
            throw new BuildDefinitionException(
                $"Parameter '{parameter.Name}' ({parameter.Option}) needs a value: expected {ValueConverter.Describe(parameter.Type)}.");
        }

        ExtraPositional.AddRange(values.Skip(1));
        return [values[0]];
    }

    private void Set(NukeBuild build, BuildParameter parameter, IReadOnlyList<string> values, string source)
    {
        if (!ValueConverter.TryConvert(values, parameter.Type, rootDirectory, out var value, out var bad))
        {
            var shown = parameter.IsSecret ? "***" : bad;
            throw new BuildDefinitionException(
                $"Parameter '{parameter.Name}' ({parameter.Option}, from {source}): '{shown}' is not valid; expected {ValueConverter.Describe(parameter.Type)}.");
        }

        parameter.SetValue(build, value);
    }

    private string? FindEnvironment(BuildParameter parameter)
    {
        var matches = environment.Keys
            .Where(k => Naming.Normalize(k) == Naming.Normalize(parameter.Name) && !string.IsNullOrEmpty(environment[k]))
            .ToList();
        return matches.FirstOrDefault(k => k == parameter.EnvironmentVariable) ?? matches.FirstOrDefault();
    }

    private static List<string> Split(BuildParameter parameter, string text) =>
        ValueConverter.IsArray(parameter.Type)
            ? [.. text.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
            : [text];

    private static List<string> JsonValues(BuildParameter parameter, JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => [.. element.EnumerateArray().Select(Text)],
        JsonValueKind.Null => [],
        _ => Split(parameter, Text(element)),
    };

    private static List<string> TextList(JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? [.. element.EnumerateArray().Select(Text)] : [Text(element)];

    private static string Text(JsonElement element) =>
        element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();

    private Dictionary<string, JsonElement> ReadJson()
    {
        var path = Path.Combine(rootDirectory, ".nuke", "parameters.json");
        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return result;
        }

        using var document = ParseJson(path);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new BuildDefinitionException($"{path}: expected a JSON object of parameter values.");
        }

        var known = parameters.Select(p => p.Name).Concat(["Target", "Skip"]).ToList();
        foreach (var property in document.RootElement.EnumerateObject().Where(p => p.Name != "$schema"))
        {
            var key = Naming.Normalize(property.Name);
            if (key == "TARGET")
            {
                JsonTargets = TextList(property.Value);
            }
            else if (key == "SKIP")
            {
                JsonSkip = TextList(property.Value);
            }
            else if (!known.Any(k => Naming.Normalize(k) == key))
            {
                throw new BuildDefinitionException(
                    $"{path}: unknown parameter '{property.Name}'.{Suggestions.DidYouMean(property.Name, known)}");
            }
            else
            {
                result[key] = property.Value.Clone();
            }
        }

        return result;
    }

    private static JsonDocument ParseJson(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException e)
        {
            throw new BuildDefinitionException($"{path}: not valid JSON ({e.Message}).");
        }
    }
}
