using System.Text;

namespace Pipeline.Data.Formatting;

/// <summary>Reads an image shard (<see cref="ImageShardFormat"/>) through a memory map; safe to share across threads for reading.</summary>
public sealed class ImageShardReader : MappedShard
{
    private readonly long _pixelsAt;
    private readonly long _sourcesAt;

    /// <summary>Opens <paramref name="path"/>.</summary>
    /// <exception cref="DataException">The file is not an image shard of a version this library reads, or is truncated.</exception>
    public ImageShardReader(string path)
        : base(path, "image shard", ImageShardFormat.HeaderSize, ImageShardFormat.Magic, ImageShardFormat.Version)
    {
        Height = View.ReadInt32(24);
        Width = View.ReadInt32(28);
        Channels = View.ReadInt32(32);
        _pixelsAt = View.ReadInt64(40);
        _sourcesAt = View.ReadInt64(64);
        RowBytes = Height * Width * Channels;
        if (_sourcesAt + ((Count + 1) * 8) > FileLength || View.ReadInt64(_sourcesAt + (Count * 8)) + _sourcesAt + ((Count + 1) * 8) > FileLength)
        {
            throw Truncated(path);
        }
    }

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
        View.ReadArray(_pixelsAt + (index * RowBytes), destination, offset, RowBytes);
    }

    /// <summary>Where row <paramref name="index"/>'s image came from: its file relative to its root, or <c>file#index</c> for IDX.</summary>
    public string GetSource(long index)
    {
        Check(index);
        var from = View.ReadInt64(_sourcesAt + (index * 8));
        var to = View.ReadInt64(_sourcesAt + ((index + 1) * 8));
        var bytes = new byte[to - from];
        View.ReadArray(_sourcesAt + ((Count + 1) * 8) + from, bytes, 0, bytes.Length);
        return Encoding.UTF8.GetString(bytes);
    }
}
