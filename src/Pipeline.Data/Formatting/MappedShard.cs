using System.IO.MemoryMappedFiles;
using System.Text;

namespace Pipeline.Data.Formatting;

/// <summary>
/// What token and image shards share: a memory-mapped file whose header starts with an 8-byte
/// magic, an int32 version, the task count (int32 at 12) and the row count (int64 at 16), and
/// whose label ids (int32, rows × tasks, offset at 48) and row ids (int64, offset at 56) are read
/// the same way. Safe to share across threads for reading.
/// </summary>
public abstract class MappedShard : IDisposable
{
    private readonly MemoryMappedFile _file;
    private readonly long _labelsAt;

    /// <summary>Maps <paramref name="path"/> and checks its size, magic and version.</summary>
    /// <param name="path">The shard file.</param>
    /// <param name="kind">What the error messages call it, e.g. <c>shard</c> or <c>image shard</c>.</param>
    /// <param name="headerSize">The header's size in bytes.</param>
    /// <param name="magic">The format's magic bytes (8).</param>
    /// <param name="version">The format version this library reads.</param>
    /// <exception cref="DataException">The file is too short, or not a <paramref name="kind"/> of <paramref name="version"/>.</exception>
    private protected MappedShard(string path, string kind, int headerSize, ReadOnlySpan<byte> magic, int version)
    {
        FileLength = new FileInfo(path).Length;
        if (FileLength < headerSize)
        {
            throw new DataException($"'{path}' is too short to be {Article(kind)} {kind} ({FileLength} bytes). Rerun Format.");
        }

        _file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        View = _file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        var found = new byte[8];
        View.ReadArray(0, found, 0, 8);
        var foundVersion = View.ReadInt32(8);
        if (!found.AsSpan().SequenceEqual(magic) || foundVersion != version)
        {
            Dispose();
            throw new DataException($"'{path}' is not a version-{version} {kind} (magic '{Encoding.ASCII.GetString(found).TrimEnd('\0')}', version {foundVersion}). Rerun Format.");
        }

        TaskCount = View.ReadInt32(12);
        Count = View.ReadInt64(16);
        _labelsAt = View.ReadInt64(48);
        RowIdsAt = View.ReadInt64(56);
    }

    /// <summary>Rows in the shard.</summary>
    public long Count { get; }

    /// <summary>Label ids per row.</summary>
    public int TaskCount { get; }

    /// <summary>The file's length in bytes.</summary>
    private protected long FileLength { get; }

    /// <summary>Where the row ids start (the last section a token shard has).</summary>
    private protected long RowIdsAt { get; }

    /// <summary>The mapped file.</summary>
    private protected MemoryMappedViewAccessor View { get; }

    /// <summary>The label id of row <paramref name="index"/> for task <paramref name="task"/>.</summary>
    public int GetLabel(long index, int task = 0)
    {
        Check(index);
        ArgumentOutOfRangeException.ThrowIfNegative(task);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(task, TaskCount);
        return View.ReadInt32(_labelsAt + (((index * TaskCount) + task) * 4));
    }

    /// <summary>The row id of row <paramref name="index"/>.</summary>
    public long GetRowId(long index)
    {
        Check(index);
        return View.ReadInt64(RowIdsAt + (index * 8));
    }

    /// <summary>Unmaps the file.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Unmaps the file.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            View.Dispose();
            _file.Dispose();
        }
    }

    /// <summary>Throws unless <paramref name="index"/> is a row of this shard.</summary>
    private protected void Check(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
    }

    /// <summary>The (disposed) shard, and the truncation error naming its declared rows.</summary>
    private protected DataException Truncated(string path)
    {
        Dispose();
        return new DataException($"'{path}' is truncated: its header declares {Count} rows. Rerun Format.");
    }

    private static string Article(string kind) => "aeiou".Contains(kind[0], StringComparison.Ordinal) ? "an" : "a";
}
