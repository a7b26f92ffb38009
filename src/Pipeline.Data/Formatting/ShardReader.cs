namespace Pipeline.Data.Formatting;

/// <summary>Reads a shard (<see cref="ShardFormat"/>) through a memory map; safe to share across threads for reading.</summary>
public sealed class ShardReader : MappedShard
{
    private readonly long _offsetsAt;

    /// <summary>Opens <paramref name="path"/>.</summary>
    /// <exception cref="DataException">The file is not a shard of a version this library reads.</exception>
    public ShardReader(string path)
        : base(path, "shard", ShardFormat.HeaderSize, ShardFormat.Magic, ShardFormat.Version)
    {
        TokenCount = View.ReadInt64(24);
        _offsetsAt = View.ReadInt64(40);
        if (RowIdsAt + (Count * 8) > FileLength)
        {
            throw Truncated(path);
        }
    }

    /// <summary>Token ids in the shard.</summary>
    public long TokenCount { get; }

    /// <summary>The number of tokens of row <paramref name="index"/>.</summary>
    public int Length(long index)
    {
        Check(index);
        return (int)(View.ReadInt64(_offsetsAt + ((index + 1) * 8)) - View.ReadInt64(_offsetsAt + (index * 8)));
    }

    /// <summary>The token ids of row <paramref name="index"/>.</summary>
    public int[] GetTokens(long index)
    {
        var result = new int[Length(index)];
        View.ReadArray(ShardFormat.HeaderSize + (View.ReadInt64(_offsetsAt + (index * 8)) * 4), result, 0, result.Length);
        return result;
    }
}
