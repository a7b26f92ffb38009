using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Pipeline.Configuration;

namespace Pipeline.Data.Cleaning;

/// <summary>Unicode normalisation (NFC/NFKC), control and format characters removed, whitespace runs collapsed to one space, trimmed.</summary>
public static class TextNormalizer
{
    /// <summary>The normalised text.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string Normalize(string text, UnicodeNormalization unicode)
    {
        ArgumentNullException.ThrowIfNull(text);
        var form = unicode switch
        {
            UnicodeNormalization.Nfc => NormalizationForm.FormC,
            UnicodeNormalization.Nfkc => NormalizationForm.FormKC,
            _ => (NormalizationForm?)null,
        };
        if (form is { } f && !text.IsNormalized(f))
        {
            text = text.Normalize(f);
        }

        if (IsClean(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format)
            {
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool IsClean(string text)
    {
        if (text.Length == 0)
        {
            return true;
        }

        if (text[0] == ' ' || text[^1] == ' ')
        {
            return false;
        }

        // Printable ASCII only (the common case): clean unless two spaces meet. Vectorised.
        if (!text.AsSpan().ContainsAnyExceptInRange(' ', '~'))
        {
            return !text.AsSpan().Contains("  ", StringComparison.Ordinal);
        }

        var previousSpace = false;
        foreach (var c in text)
        {
            if (c == ' ')
            {
                if (previousSpace)
                {
                    return false;
                }

                previousSpace = true;
                continue;
            }

            previousSpace = false;
            if (c < ' ' || (c >= 0x7F && (char.IsWhiteSpace(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format)))
            {
                return false;
            }
        }

        return true;
    }
}
