using System.Text.RegularExpressions;

namespace Pipeline.Registry;

/// <summary>MLflow's validation rules (<c>mlflow/utils/validation.py</c>) that both stores enforce.</summary>
public static partial class MlflowRules
{
    /// <summary>Longest alias name.</summary>
    public const int MaxAliasLength = 255;

    /// <summary>Longest param value MLflow stores (longer ones are truncated by the server).</summary>
    public const int MaxParamValueLength = 6000;

    /// <summary>
    /// Null when <paramref name="alias"/> is a valid alias name, else why not: it must match
    /// <c>^[\w\-]+$</c>, be at most 255 characters, and be neither <c>latest</c> (any case) nor <c>v&lt;digits&gt;</c>.
    /// </summary>
    public static string? AliasProblem(string alias)
    {
        ArgumentNullException.ThrowIfNull(alias);
        if (alias.Length == 0 || alias.Length > MaxAliasLength || !AliasChars().IsMatch(alias))
        {
            return $"Invalid alias name '{alias}': use 1 to {MaxAliasLength} letters, digits, '_' or '-'.";
        }

        if (string.Equals(alias, "latest", StringComparison.OrdinalIgnoreCase) || VersionLike().IsMatch(alias))
        {
            return $"Version alias name '{alias}' is reserved: 'latest' and v<number> are version references, pick another name such as 'champion'.";
        }

        return null;
    }

    /// <summary>Null when <paramref name="key"/> is a valid metric/param/tag key, else why not.</summary>
    public static string? KeyProblem(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0 || key.Length > 250 || !KeyChars().IsMatch(key)
            || key.StartsWith('/') || key.Contains("..", StringComparison.Ordinal) || key.StartsWith("./", StringComparison.Ordinal)
            || key.Contains("/./", StringComparison.Ordinal) || key.Contains("//", StringComparison.Ordinal))
        {
            return $"Invalid key '{key}': use 1 to 250 characters from letters, digits, '_', '-', '.', ' ', ':' and '/', as a normalised relative path.";
        }

        return null;
    }

    [GeneratedRegex(@"^[\w\-]+$")]
    private static partial Regex AliasChars();

    [GeneratedRegex(@"^[vV]\d+$")]
    private static partial Regex VersionLike();

    [GeneratedRegex(@"^[/\w.\- :]*$")]
    private static partial Regex KeyChars();
}
