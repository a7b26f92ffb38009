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
        var key = id is null ? "text:" + normalizedText : "id:" + id;
        return unchecked((long)XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(key)));
    }

    /// <summary>XxHash128 of the normalised text, for exact-duplicate detection.</summary>
    public static UInt128 TextHash(string normalizedText)
    {
        ArgumentNullException.ThrowIfNull(normalizedText);
        return XxHash128.HashToUInt128(Encoding.UTF8.GetBytes(normalizedText));
    }
}
