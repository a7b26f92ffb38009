using System.Text.RegularExpressions;

namespace Pipeline.Data.Cleaning;

/// <summary>Replaces e-mail addresses, URLs and phone numbers with <c>[EMAIL]</c>, <c>[URL]</c> and <c>[PHONE]</c>.</summary>
public static partial class PiiMasker
{
    /// <summary>The text with PII masked.</summary>
    public static string Mask(string text)
    {
        text = Email().Replace(text, "[EMAIL]");
        text = Url().Replace(text, "[URL]");
        return Phone().Replace(text, "[PHONE]");
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex Email();

    [GeneratedRegex(@"\b(?:https?://|www\.)[^\s<>""]+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Url();

    [GeneratedRegex(@"(?<![\w+])\+?\d(?:[\s().-]?\d){7,14}(?!\w)", RegexOptions.CultureInvariant)]
    private static partial Regex Phone();
}
