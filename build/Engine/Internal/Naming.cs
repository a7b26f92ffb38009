using System.Text;

namespace Pipeline.Build.Internal;

/// <summary>How a member name appears on the command line and in the environment.</summary>
internal static class Naming
{
    /// <summary><c>MlflowTrackingToken</c> → <c>mlflow-tracking-token</c>.</summary>
    public static string Kebab(string name)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    /// <summary><c>MlflowTrackingToken</c> → <c>MLFLOW_TRACKING_TOKEN</c>.</summary>
    public static string Environment(string name) => Kebab(name).Replace('-', '_').ToUpperInvariant();

    /// <summary>The form names are compared in: no dashes or underscores, lower case.</summary>
    public static string Normalize(string name) => name.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToUpperInvariant();
}
