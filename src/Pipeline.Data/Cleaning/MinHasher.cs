using System.IO.Hashing;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
    private ulong[] _wordHashes = new ulong[64];
    private uint[] _shingles = new uint[64];
    private ulong[] _full = new ulong[64];

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
        ArgumentNullException.ThrowIfNull(text);
        shingles.Clear();
        shingles.AddRange(Sign(text.AsSpan(), signature));
    }

    /// <summary>
    /// Writes the signature of <paramref name="text"/> (split on spaces) into <paramref name="signature"/> and
    /// returns its distinct 32-bit shingle hashes, sorted; the span is valid until the next call on this instance.
    /// </summary>
    public ReadOnlySpan<uint> Sign(ReadOnlySpan<char> text, Span<uint> signature)
    {
        var count = SignUnsorted(text, signature).Length;
        var hashes = _shingles.AsSpan(0, count);
        return hashes[..SortDistinct(hashes)];
    }

    /// <summary>
    /// Like <see cref="Sign(ReadOnlySpan{char}, Span{uint})"/>, but the shingle hashes come in text order, repeats
    /// included (<see cref="SortDistinct"/> makes them a set): Clean sorts only the few it compares.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal ReadOnlySpan<uint> SignUnsorted(ReadOnlySpan<char> text, Span<uint> signature)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(signature.Length, Size, nameof(signature));
        var words = 0;
        var rest = text;
        while (true)
        {
            var space = rest.IndexOf(' ');
            var word = space < 0 ? rest : rest[..space];
            if (!word.IsEmpty)
            {
                if (words == _wordHashes.Length)
                {
                    Array.Resize(ref _wordHashes, words * 2);
                }

                _wordHashes[words++] = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(word));
            }

            if (space < 0)
            {
                break;
            }

            rest = rest[(space + 1)..];
        }

        var count = Math.Max(1, words - _shingle + 1);
        if (_shingles.Length < count)
        {
            _shingles = new uint[Math.Max(count, _shingles.Length * 2)];
            _full = new ulong[_shingles.Length];
        }

        var hashes = _shingles.AsSpan(0, count);
        var full = _full.AsSpan(0, count);
        for (var s = 0; s < count; s++)
        {
            var h = 0xCBF29CE484222325UL;
            var end = Math.Min(s + _shingle, words);
            for (var w = s; w < end; w++)
            {
                h = (h ^ _wordHashes[w]) * 0x100000001B3UL;
                h ^= h >> 29;
            }

            full[s] = h;
            hashes[s] = (uint)(h >> 32);
        }

        MinOver(full, signature);
        return hashes;
    }

    /// <summary>Sorts <paramref name="hashes"/> and moves its distinct values to the front; returns their count.</summary>
    internal static int SortDistinct(Span<uint> hashes)
    {
        hashes.Sort();
        var distinct = 0;
        for (var i = 0; i < hashes.Length; i++)
        {
            if (i == 0 || hashes[i] != hashes[distinct - 1])
            {
                hashes[distinct++] = hashes[i];
            }
        }

        return distinct;
    }

    /// <summary>The Jaccard similarity of two sorted, distinct shingle-hash sets.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    /// <summary>signature[i] = min over shingles h of the high 32 bits of a[i]·h + b[i] (mod 2^64), several i at once where SIMD allows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void MinOver(ReadOnlySpan<ulong> full, Span<uint> signature)
    {
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + Vector512<ulong>.Count <= Size; i += Vector512<ulong>.Count)
            {
                var a = Vector512.Create<ulong>(_a.AsSpan(i));
                var b = Vector512.Create<ulong>(_b.AsSpan(i));
                var min = Vector512<ulong>.AllBitsSet;
                foreach (var h in full)
                {
                    min = Vector512.Min(min, Vector512.ShiftRightLogical((a * Vector512.Create(h)) + b, 32));
                }

                Vector512.Narrow(min, min).GetLower().CopyTo(signature[i..]);
            }
        }

        if (Vector.IsHardwareAccelerated)
        {
            var lanes = Vector<ulong>.Count;
            for (; i + lanes <= Size; i += lanes)
            {
                var a = new Vector<ulong>(_a, i);
                var b = new Vector<ulong>(_b, i);
                var min = Vector<ulong>.AllBitsSet;
                foreach (var h in full)
                {
                    min = Vector.Min(min, Vector.ShiftRightLogical((a * new Vector<ulong>(h)) + b, 32));
                }

                for (var lane = 0; lane < lanes; lane++)
                {
                    signature[i + lane] = (uint)min[lane];
                }
            }
        }

        for (; i < Size; i++)
        {
            var (a, b, min) = (_a[i], _b[i], uint.MaxValue);
            foreach (var h in full)
            {
                var v = (uint)(((a * h) + b) >> 32);
                min = v < min ? v : min;
            }

            signature[i] = min;
        }
    }

    private static ulong SplitMix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
