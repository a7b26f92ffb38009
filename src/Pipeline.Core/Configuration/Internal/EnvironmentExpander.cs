using System.Text;

namespace Pipeline.Configuration.Internal;

/// <summary>
/// Expands <c>${VAR}</c> and <c>${VAR:-default}</c> in scalar values, anywhere in the string.
/// The default applies when the variable is unset or empty (as in POSIX shells); <c>$${</c>
/// writes a literal <c>${</c>.
/// </summary>
internal sealed class EnvironmentExpander(IReadOnlyDictionary<string, string> environment)
{
    /// <summary>
    /// Expands <paramref name="value"/>. Returns null and reports to <paramref name="errors"/>
    /// when a variable is unset without default or a reference is malformed.
    /// </summary>
    public string? Expand(string value, ConfigLocation location, string path, ErrorSink errors)
    {
        if (!value.Contains('$', StringComparison.Ordinal))
        {
            return value;
        }

        var result = new StringBuilder(value.Length);
        var failed = false;
        var i = 0;
        while (i < value.Length)
        {
            if (string.CompareOrdinal(value, i, "$${", 0, 3) == 0)
            {
                result.Append("${");
                i += 3;
                continue;
            }

            if (string.CompareOrdinal(value, i, "${", 0, 2) != 0)
            {
                result.Append(value[i]);
                i++;
                continue;
            }

            var end = value.IndexOf('}', i + 2);
            if (end < 0)
            {
                errors.Add(location, path, $"has an unterminated '${{' in '{value}'; close it with '}}' or write '$${{' for a literal '${{'");
                return null;
            }

            var reference = value[(i + 2)..end];
            var separator = reference.IndexOf(":-", StringComparison.Ordinal);
            var name = separator < 0 ? reference : reference[..separator];
            if (!IsValidName(name))
            {
                errors.Add(location, path, $"has an invalid variable reference '${{{reference}}}'; write ${{NAME}} or ${{NAME:-default}}");
                failed = true;
            }
            else if (environment.TryGetValue(name, out var set) && (separator < 0 || set.Length > 0))
            {
                result.Append(set);
            }
            else if (separator >= 0)
            {
                result.Append(reference[(separator + 2)..]);
            }
            else
            {
                errors.Add(location, path, $"uses ${{{name}}}, but the environment variable {name} is not set; set it or give a default: ${{{name}:-value}}");
                failed = true;
            }

            i = end + 1;
        }

        return failed ? null : result.ToString();
    }

    private static bool IsValidName(string name) =>
        name.Length > 0
        && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
