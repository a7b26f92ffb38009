using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Pipeline.Data.Formatting;

/// <summary>The three splits.</summary>
public enum Split
{
    /// <summary>Training rows.</summary>
    Train,

    /// <summary>Validation rows (early stopping).</summary>
    Validation,

    /// <summary>Test rows (evaluation, champion comparison).</summary>
    Test,
}

/// <summary>
/// Stable split assignment: <c>u = XxHash64(salt ‖ group) / 2^64</c>; <c>u &lt; test</c> is test,
/// <c>u &lt; test + validation</c> validation, the rest train. A row's split depends only on its
/// group key and the salt, so adding rows never moves an existing one.
/// </summary>
public sealed class SplitAssigner
{
    private readonly byte[] _buffer;
    private readonly int _saltLength;
    private readonly double _validation;
    private readonly double _test;

    /// <summary>An assigner for the <c>split</c> section's salt and fractions (each in [0, 1), sum below 1).</summary>
    public SplitAssigner(string salt, double validation, double test)
    {
        ArgumentNullException.ThrowIfNull(salt);
        if (validation < 0 || test < 0 || validation + test >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(validation), $"split.validation ({validation}) and split.test ({test}) must be ≥ 0 and sum below 1.");
        }

        _saltLength = Encoding.UTF8.GetByteCount(salt);
        _buffer = new byte[_saltLength + 8];
        Encoding.UTF8.GetBytes(salt, _buffer);
        _validation = validation;
        _test = test;
    }

    /// <summary>The split of the row group <paramref name="group"/>.</summary>
    public Split Assign(long group)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_saltLength), group);
        var u = (XxHash64.HashToUInt64(_buffer) >> 11) * (1.0 / (1UL << 53));
        return u < _test ? Split.Test : u < _test + _validation ? Split.Validation : Split.Train;
    }
}
