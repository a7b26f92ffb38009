using System.IO.MemoryMappedFiles;
using System.Text;

namespace Pipeline.Data.Formatting;

/// <summary>Reads a shard (<see cref="ShardFormat"/>) through a memory map; safe to share across threads for reading.</summary>
public sealed class ShardReader : IDisposable
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly long _offsetsAt;
    private readonly long _labelsAt;
    private readonly long _rowIdsAt;

    /// <summary>Opens <paramref name="path"/>.</summary>
    /// <exception cref="DataException">The file is not a shard of a version this library reads.</exception>
    public ShardReader(string path)
    {
        var length = new FileInfo(path).Length;
        if (length < ShardFormat.HeaderSize)
        {
            throw new DataException($"'{path}' is too short to be a shard ({length} bytes). Rerun Format.");
        }

        _file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        _view = _file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        var magic = new byte[8];
        _view.ReadArray(0, magic, 0, 8);
        var version = _view.ReadInt32(8);
        if (!magic.AsSpan().SequenceEqual(ShardFormat.Magic) || version != ShardFormat.Version)
        {
            Dispose();
            throw new DataException($"'{path}' is not a version-{ShardFormat.Version} shard (magic '{Encoding.ASCII.GetString(magic)}', version {version}). Rerun Format.");
        }

        TaskCount = _view.ReadInt32(12);
        Count = _view.ReadInt64(16);
        TokenCount = _view.ReadInt64(24);
        _offsetsAt = _view.ReadInt64(40);
        _labelsAt = _view.ReadInt64(48);
        _rowIdsAt = _view.ReadInt64(56);
        if (_rowIdsAt + (Count * 8) > length)
        {
            Dispose();
            throw new DataException($"'{path}' is truncated: its header declares {Count} rows. Rerun Format.");
        }
    }

    /// <summary>Rows in the shard.</summary>
    public long Count { get; }

    /// <summary>Token ids in the shard.</summary>
    public long TokenCount { get; }

    /// <summary>Label ids per row.</summary>
    public int TaskCount { get; }

    /// <summary>The number of tokens of row <paramref name="index"/>.</summary>
    public int Length(long index)
    {
        Check(index);
        return (int)(_view.ReadInt64(_offsetsAt + ((index + 1) * 8)) - _view.ReadInt64(_offsetsAt + (index * 8)));
    }

    /// <summary>The token ids of row <paramref name="index"/>.</summary>
    public int[] GetTokens(long index)
    {
        var result = new int[Length(index)];
        _view.ReadArray(ShardFormat.HeaderSize + (_view.ReadInt64(_offsetsAt + (index * 8)) * 4), result, 0, result.Length);
        return result;
    }

    /// <summary>The label id of row <paramref name="index"/> for task <paramref name="task"/>.</summary>
    public int GetLabel(long index, int task = 0)
    {
        Check(index);
        ArgumentOutOfRangeException.ThrowIfNegative(task);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(task, TaskCount);
        return _view.ReadInt32(_labelsAt + (((index * TaskCount) + task) * 4));
    }

    /// <summary>The row id of row <paramref name="index"/>.</summary>
    public long GetRowId(long index)
    {
        Check(index);
        return _view.ReadInt64(_rowIdsAt + (index * 8));
    }

    /// <summary>Unmaps the file.</summary>
    public void Dispose()
    {
        _view.Dispose();
        _file.Dispose();
    }

    private void Check(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
    }
}
