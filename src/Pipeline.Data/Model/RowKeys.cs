using System.IO.Hashing;
using System.Text;

namespace Pipeline.Data.Model;

/// <summary>Stable row identities: the same id (or, without one, the same normalised text) always gives the same row id.</summary>
public static class RowKeys
{
    /// <summary>XxHash64 of the stable key: <c>"id:" + id</c>, or <c>"text:" + normalisedText</c> when there is no id.</summary>
    public static long RowId(string? id, string normalizedText)
    {
        ArgumentNullException.ThrowIfNull(normalizedText);
        var scratch = Array.Empty<byte>();
        return RowId(id, normalizedText, ref scratch);
    }

    /// <summary><see cref="RowId(string?, string)"/> with the UTF-8 key built in <paramref name="scratch"/> (grown as needed).</summary>
    internal static long RowId(string? id, string normalizedText, ref byte[] scratch)
    {
        var prefix = id is null ? "text:"u8 : "id:"u8;
        var value = id ?? normalizedText;
        var length = Utf8(value, prefix, ref scratch);
        return unchecked((long)XxHash64.HashToUInt64(scratch.AsSpan(0, length)));
    }

    /// <summary>XxHash128 of the normalised text, for exact-duplicate detection.</summary>
    public static UInt128 TextHash(string normalizedText)
    {
        ArgumentNullException.ThrowIfNull(normalizedText);
        var scratch = Array.Empty<byte>();
        return TextHash(normalizedText, ref scratch);
    }

    /// <summary><see cref="TextHash(string)"/> with the UTF-8 bytes built in <paramref name="scratch"/> (grown as needed).</summary>
    internal static UInt128 TextHash(string normalizedText, ref byte[] scratch)
    {
        var length = Utf8(normalizedText, default, ref scratch);
        return XxHash128.HashToUInt128(scratch.AsSpan(0, length));
    }

    // prefix (ASCII) followed by the UTF-8 of value: the same bytes as Encoding.UTF8.GetBytes(prefix + value).
    private static int Utf8(string value, ReadOnlySpan<byte> prefix, ref byte[] scratch)
    {
        var needed = prefix.Length + Encoding.UTF8.GetMaxByteCount(value.Length);
        if (scratch.Length < needed)
        {
            scratch = new byte[Math.Max(needed, scratch.Length * 2)];
        }

        prefix.CopyTo(scratch);
        return prefix.Length + Encoding.UTF8.GetBytes(value, scratch.AsSpan(prefix.Length));
    }
}
