using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Pipeline.Data.Cleaning;

/// <summary>
/// MinHash signatures over word shingles, and LSH band keys: two texts whose shingle sets have
/// Jaccard similarity <c>s</c> share at least one of <see cref="Bands"/> bands with probability
/// <c>1 - (1 - s^r)^b</c> (r = <see cref="RowsPerBand"/>): 0.99 at s = 0.9.
/// </summary>
public sealed class MinHasher
{
    /// <summary>Hash functions per signature.</summary>
    public const int Size = 64;

    /// <summary>LSH bands.</summary>
    public const int Bands = 8;

    /// <summary>Signature values per band.</summary>
    public const int RowsPerBand = Size / Bands;

    private readonly ulong[] _a = new ulong[Size];
    private readonly ulong[] _b = new ulong[Size];
    private readonly int _shingle;
    private readonly List<ulong> _wordHashes = [];

    /// <summary>A hasher over shingles of <paramref name="shingle"/> words (1–10).</summary>
    public MinHasher(int shingle)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shingle, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shingle, 10);
        _shingle = shingle;
        var state = 0x9E3779B97F4A7C15UL;
        for (var i = 0; i < Size; i++)
        {
            _a[i] = SplitMix(ref state) | 1;
            _b[i] = SplitMix(ref state);
        }
    }

    /// <summary>
    /// Writes the signature of <paramref name="text"/> (split on spaces) into <paramref name="signature"/>,
    /// and its distinct 32-bit shingle hashes, sorted, into <paramref name="shingles"/> (for exact verification).
    /// </summary>
    public void Sign(string text, Span<uint> signature, List<uint> shingles)
    {
        ArgumentNullException.ThrowIfNull(shingles);
        shingles.Clear();
        ArgumentNullException.ThrowIfNull(text);
        _wordHashes.Clear();
        foreach (var word in text.AsSpan().Split(' '))
        {
            var span = text.AsSpan(word);
            if (!span.IsEmpty)
            {
                _wordHashes.Add(XxHash3.HashToUInt64(MemoryMarshal.AsBytes(span)));
            }
        }

        signature.Fill(uint.MaxValue);
        var count = Math.Max(1, _wordHashes.Count - _shingle + 1);
        for (var s = 0; s < count; s++)
        {
            var h = 0xCBF29CE484222325UL;
            for (var w = s; w < Math.Min(s + _shingle, _wordHashes.Count); w++)
            {
                h = (h ^ _wordHashes[w]) * 0x100000001B3UL;
                h ^= h >> 29;
            }

            shingles.Add((uint)(h >> 32));
            for (var i = 0; i < Size; i++)
            {
                var v = (uint)((_a[i] * h + _b[i]) >> 32);
                if (v < signature[i])
                {
                    signature[i] = v;
                }
            }
        }

        shingles.Sort();
        var distinct = 0;
        for (var i = 0; i < shingles.Count; i++)
        {
            if (i == 0 || shingles[i] != shingles[distinct - 1])
            {
                shingles[distinct++] = shingles[i];
            }
        }

        shingles.RemoveRange(distinct, shingles.Count - distinct);
    }

    /// <summary>The Jaccard similarity of two sorted, distinct shingle-hash sets.</summary>
    public static double Jaccard(ReadOnlySpan<uint> x, ReadOnlySpan<uint> y)
    {
        int i = 0, j = 0, same = 0;
        while (i < x.Length && j < y.Length)
        {
            if (x[i] == y[j])
            {
                same++;
                i++;
                j++;
            }
            else if (x[i] < y[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        var union = x.Length + y.Length - same;
        return union == 0 ? 1 : same / (double)union;
    }

    /// <summary>The estimated Jaccard similarity of two signatures.</summary>
    public static double Similarity(ReadOnlySpan<uint> x, ReadOnlySpan<uint> y)
    {
        var same = 0;
        for (var i = 0; i < Size; i++)
        {
            same += x[i] == y[i] ? 1 : 0;
        }

        return same / (double)Size;
    }

    /// <summary>The key of band <paramref name="band"/> of a signature.</summary>
    public static ulong BandKey(ReadOnlySpan<uint> signature, int band) =>
        XxHash3.HashToUInt64(MemoryMarshal.AsBytes(signature.Slice(band * RowsPerBand, RowsPerBand)), band);

    private static ulong SplitMix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
