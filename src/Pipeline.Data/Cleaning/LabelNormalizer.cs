using Pipeline.Configuration;

namespace Pipeline.Data.Cleaning;

/// <summary>Label normalisation: trim, optional lower case, the alias map, then the declared label set.</summary>
public sealed class LabelNormalizer
{
    private readonly bool _lowercase;
    private readonly Dictionary<string, string> _aliases;
    private readonly HashSet<string>? _declared;

    // Labels repeat across rows: the result per raw label, up to CacheSize distinct ones.
    private const int CacheSize = 4096;
    private readonly Dictionary<string, (string? Value, bool Unknown)> _cache = new(StringComparer.Ordinal);

    /// <summary>Builds the normaliser from <c>clean</c> and the optional declared set <c>data.labels</c>.</summary>
    public LabelNormalizer(CleanOptions options, IReadOnlyList<string>? declaredLabels)
    {
        ArgumentNullException.ThrowIfNull(options);
        _lowercase = options.LowercaseLabels;
        _aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (alias, label) in options.LabelAliases)
        {
            _aliases[Basic(alias)] = Basic(label);
        }

        _declared = declaredLabels is { Count: > 0 } ? [.. declaredLabels.Select(Basic)] : null;
    }

    /// <summary>The normalised label, or null when it is empty (<paramref name="unknown"/> false) or not declared (<paramref name="unknown"/> true).</summary>
    public string? Normalize(string label, out bool unknown)
    {
        ArgumentNullException.ThrowIfNull(label);
        if (_cache.TryGetValue(label, out var cached))
        {
            unknown = cached.Unknown;
            return cached.Value;
        }

        var value = Resolve(label, out unknown);
        if (_cache.Count < CacheSize)
        {
            _cache[label] = (value, unknown);
        }

        return value;
    }

    private string? Resolve(string label, out bool unknown)
    {
        unknown = false;
        var value = Basic(label);
        if (value.Length == 0)
        {
            return null;
        }

        if (_aliases.TryGetValue(value, out var target))
        {
            value = target;
        }

        if (_declared is not null && !_declared.Contains(value))
        {
            unknown = true;
            return null;
        }

        return value;
    }

    private string Basic(string label)
    {
        var trimmed = TextNormalizer.Normalize(label, UnicodeNormalization.Nfc);
        return _lowercase ? trimmed.ToLowerInvariant() : trimmed;
    }
}
