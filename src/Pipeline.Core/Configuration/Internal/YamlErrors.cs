using System.Text.RegularExpressions;
using YamlDotNet.Core;

namespace Pipeline.Configuration.Internal;

/// <summary>Turns YamlDotNet's exceptions into short messages without their position prefix.</summary>
internal static partial class YamlErrors
{
    /// <summary>The message of <paramref name="exception"/> (and its inner YAML exceptions) without "(Line: 1, Col: 1, Idx: 0) - (...): ".</summary>
    public static string Describe(YamlException exception)
    {
        var message = PositionPrefix().Replace(exception.Message, "");
        if (exception.InnerException is YamlException inner)
        {
            message += ": " + Describe(inner);
        }

        return message.TrimEnd('.');
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex PositionPrefix();
}
