using System.IO.MemoryMappedFiles;
using System.Text;

namespace Pipeline.Data.Formatting;

/// <summary>Reads an image shard (<see cref="ImageShardFormat"/>) through a memory map; safe to share across threads for reading.</summary>
public sealed class ImageShardReader : IDisposable
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly long _pixelsAt;
    private readonly long _labelsAt;
    private readonly long _rowIdsAt;
    private readonly long _sourcesAt;

    /// <summary>Opens <paramref name="path"/>.</summary>
    /// <exception cref="DataException">The file is not an image shard of a version this library reads, or is truncated.</exception>
    public ImageShardReader(string path)
    {
        var length = new FileInfo(path).Length;
        if (length < ImageShardFormat.HeaderSize)
        {
            throw new DataException($"'{path}' is too short to be an image shard ({length} bytes). Rerun Format.");
        }

        _file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        _view = _file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        var magic = new byte[8];
        _view.ReadArray(0, magic, 0, 8);
        var version = _view.ReadInt32(8);
        if (!magic.AsSpan().SequenceEqual(ImageShardFormat.Magic) || version != ImageShardFormat.Version)
        {
            Dispose();
            throw new DataException($"'{path}' is not a version-{ImageShardFormat.Version} image shard (magic '{Encoding.ASCII.GetString(magic).TrimEnd('\0')}', version {version}). Rerun Format.");
        }

        TaskCount = _view.ReadInt32(12);
        Count = _view.ReadInt64(16);
        Height = _view.ReadInt32(24);
        Width = _view.ReadInt32(28);
        Channels = _view.ReadInt32(32);
        _pixelsAt = _view.ReadInt64(40);
        _labelsAt = _view.ReadInt64(48);
        _rowIdsAt = _view.ReadInt64(56);
        _sourcesAt = _view.ReadInt64(64);
        RowBytes = Height * Width * Channels;
        if (_sourcesAt + ((Count + 1) * 8) > length || _view.ReadInt64(_sourcesAt + (Count * 8)) + _sourcesAt + ((Count + 1) * 8) > length)
        {
            Dispose();
            throw new DataException($"'{path}' is truncated: its header declares {Count} rows. Rerun Format.");
        }
    }

    /// <summary>Rows in the shard.</summary>
    public long Count { get; }

    /// <summary>The square side of every image (<c>format.image.resize</c>).</summary>
    public int Resize => Height;

    /// <summary>Image rows.</summary>
    public int Height { get; }

    /// <summary>Image columns.</summary>
    public int Width { get; }

    /// <summary>Channels per pixel (3: R, G, B).</summary>
    public int Channels { get; }

    /// <summary>Bytes per image: <see cref="Height"/> × <see cref="Width"/> × <see cref="Channels"/>.</summary>
    public int RowBytes { get; }

    /// <summary>Label ids per row.</summary>
    public int TaskCount { get; }

    /// <summary>The RGB bytes (HWC) of row <paramref name="index"/>.</summary>
    public byte[] GetPixels(long index)
    {
        var result = new byte[RowBytes];
        ReadPixels(index, result, 0);
        return result;
    }

    /// <summary>Copies the RGB bytes (HWC) of row <paramref name="index"/> into <paramref name="destination"/> at <paramref name="offset"/> (for filling a batch without allocating).</summary>
    public void ReadPixels(long index, byte[] destination, int offset)
    {
        Check(index);
        ArgumentNullException.ThrowIfNull(destination);
        _view.ReadArray(_pixelsAt + (index * RowBytes), destination, offset, RowBytes);
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

    /// <summary>Where row <paramref name="index"/>'s image came from: its file relative to its root, or <c>file#index</c> for IDX.</summary>
    public string GetSource(long index)
    {
        Check(index);
        var from = _view.ReadInt64(_sourcesAt + (index * 8));
        var to = _view.ReadInt64(_sourcesAt + ((index + 1) * 8));
        var bytes = new byte[to - from];
        _view.ReadArray(_sourcesAt + ((Count + 1) * 8) + from, bytes, 0, bytes.Length);
        return Encoding.UTF8.GetString(bytes);
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
