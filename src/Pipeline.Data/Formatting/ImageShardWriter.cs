using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Pipeline.Data.Formatting;

/// <summary>Writes one image shard (<see cref="ImageShardFormat"/>): pixels stream to disk, the small per-row columns are kept until <see cref="Complete"/>.</summary>
public sealed class ImageShardWriter : IDisposable
{
    private readonly FileStream _stream;
    private readonly int _taskCount;
    private readonly int _size;
    private readonly List<int> _labels = [];
    private readonly List<long> _rowIds = [];
    private readonly List<long> _sourceOffsets = [0];
    private readonly MemoryStream _sources = new();

    /// <summary>Creates <paramref name="path"/> (it must not exist) for <paramref name="size"/> × <paramref name="size"/> RGB images.</summary>
    public ImageShardWriter(string path, int taskCount, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(taskCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _taskCount = taskCount;
        _size = size;
        _stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        _stream.Write(new byte[ImageShardFormat.HeaderSize]);
    }

    /// <summary>Rows appended so far.</summary>
    public long Count => _rowIds.Count;

    /// <summary>Bytes per row: size × size × 3.</summary>
    public int RowBytes => _size * _size * ImageShardFormat.Channels;

    /// <summary>Appends a row: <paramref name="pixels"/> are <see cref="RowBytes"/> RGB bytes in HWC order.</summary>
    public void Append(ReadOnlySpan<byte> pixels, ReadOnlySpan<int> labelIds, long rowId, string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (pixels.Length != RowBytes)
        {
            throw new ArgumentException($"Expected {_size}×{_size}×3 = {RowBytes} bytes, got {pixels.Length}.", nameof(pixels));
        }

        if (labelIds.Length != _taskCount)
        {
            throw new ArgumentException($"Expected {_taskCount} label ids, got {labelIds.Length}.", nameof(labelIds));
        }

        _stream.Write(pixels);
        foreach (var label in labelIds)
        {
            _labels.Add(label);
        }

        _rowIds.Add(rowId);
        _sources.Write(Encoding.UTF8.GetBytes(source));
        _sourceOffsets.Add(_sources.Length);
    }

    /// <summary>Writes the columns and the header, and flushes to disk.</summary>
    public void Complete()
    {
        var labelsAt = _stream.Position;
        _stream.Write(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(_labels)));
        Align();
        var rowIdsAt = _stream.Position;
        _stream.Write(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(_rowIds)));
        var sourcesAt = _stream.Position;
        _stream.Write(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(_sourceOffsets)));
        _sources.Position = 0;
        _sources.CopyTo(_stream);

        Span<byte> header = stackalloc byte[ImageShardFormat.HeaderSize];
        header.Clear();
        ImageShardFormat.Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], ImageShardFormat.Version);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], _taskCount);
        BinaryPrimitives.WriteInt64LittleEndian(header[16..], _rowIds.Count);
        BinaryPrimitives.WriteInt32LittleEndian(header[24..], _size);
        BinaryPrimitives.WriteInt32LittleEndian(header[28..], _size);
        BinaryPrimitives.WriteInt32LittleEndian(header[32..], ImageShardFormat.Channels);
        BinaryPrimitives.WriteInt64LittleEndian(header[40..], ImageShardFormat.HeaderSize);
        BinaryPrimitives.WriteInt64LittleEndian(header[48..], labelsAt);
        BinaryPrimitives.WriteInt64LittleEndian(header[56..], rowIdsAt);
        BinaryPrimitives.WriteInt64LittleEndian(header[64..], sourcesAt);
        _stream.Position = 0;
        _stream.Write(header);
        _stream.Flush(flushToDisk: true);
    }

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        _stream.Dispose();
        _sources.Dispose();
    }

    private void Align()
    {
        var pad = (int)((8 - (_stream.Position % 8)) % 8);
        _stream.Write(new byte[pad]);
    }
}
