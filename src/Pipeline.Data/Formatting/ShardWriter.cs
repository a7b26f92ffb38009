using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Pipeline.Data.Formatting;

/// <summary>Writes one shard (<see cref="ShardFormat"/>): token ids stream to disk, the small per-row columns are kept until <see cref="Complete"/>.</summary>
public sealed class ShardWriter : IDisposable
{
    private readonly FileStream _stream;
    private readonly int _taskCount;
    private readonly List<long> _offsets = [0];
    private readonly List<int> _labels = [];
    private readonly List<long> _rowIds = [];
    private long _tokens;

    /// <summary>Creates <paramref name="path"/> (it must not exist).</summary>
    public ShardWriter(string path, int taskCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(taskCount, 1);
        _taskCount = taskCount;
        _stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        _stream.Write(new byte[ShardFormat.HeaderSize]);
    }

    /// <summary>Rows appended so far.</summary>
    public long Count => _rowIds.Count;

    /// <summary>Appends a row.</summary>
    public void Append(ReadOnlySpan<int> tokenIds, ReadOnlySpan<int> labelIds, long rowId)
    {
        if (labelIds.Length != _taskCount)
        {
            throw new ArgumentException($"Expected {_taskCount} label ids, got {labelIds.Length}.", nameof(labelIds));
        }

        _stream.Write(MemoryMarshal.AsBytes(tokenIds));
        _tokens += tokenIds.Length;
        _offsets.Add(_tokens);
        foreach (var label in labelIds)
        {
            _labels.Add(label);
        }

        _rowIds.Add(rowId);
    }

    /// <summary>Writes the columns and the header, and flushes to disk.</summary>
    public void Complete()
    {
        var pad = (int)((8 - (_stream.Position % 8)) % 8);
        _stream.Write(new byte[pad]);
        var offsetsAt = _stream.Position;
        _stream.Write(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(_offsets)));
        var labelsAt = _stream.Position;
        _stream.Write(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(_labels)));
        pad = (int)((8 - (_stream.Position % 8)) % 8);
        _stream.Write(new byte[pad]);
        var rowIdsAt = _stream.Position;
        _stream.Write(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(_rowIds)));

        Span<byte> header = stackalloc byte[ShardFormat.HeaderSize];
        ShardFormat.Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], ShardFormat.Version);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], _taskCount);
        BinaryPrimitives.WriteInt64LittleEndian(header[16..], _rowIds.Count);
        BinaryPrimitives.WriteInt64LittleEndian(header[24..], _tokens);
        BinaryPrimitives.WriteInt64LittleEndian(header[32..], ShardFormat.HeaderSize);
        BinaryPrimitives.WriteInt64LittleEndian(header[40..], offsetsAt);
        BinaryPrimitives.WriteInt64LittleEndian(header[48..], labelsAt);
        BinaryPrimitives.WriteInt64LittleEndian(header[56..], rowIdsAt);
        _stream.Position = 0;
        _stream.Write(header);
        _stream.Flush(flushToDisk: true);
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _stream.Dispose();
}
