using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Text.Json;
using Pipeline.IO;

namespace Pipeline.Stages.Incremental;

/// <summary>
/// Content hashes (xxHash128, 32 hex digits) of files, with a stat cache keyed by full path,
/// size, modification time and inode (Linux), persisted between runs, so an unchanged folder is never re-read.
/// A file is hashed at most once per run while its size and time stay the same. A hash taken
/// less than <see cref="RacyWindow"/> after the file's last write is not trusted later, since a
/// second write in the same clock tick would keep size and time (Git's "racy clean" rule).
/// Thread-safe.
/// </summary>
public sealed class FileHasher
{
    /// <summary>How close to a file's last write a hash must not be taken for the cache to trust it.</summary>
    public static readonly TimeSpan RacyWindow = TimeSpan.FromSeconds(2);

    private const int BufferSize = 1 << 20;
    private readonly ConcurrentDictionary<string, StatEntry> _entries = new(StringComparer.Ordinal);
    private readonly string? _cachePath;
    private readonly Lock _saveLock = new();
    private int _filesRead;

    /// <summary>Creates a hasher whose stat cache lives in <paramref name="cachePath"/> (none when null).</summary>
    public FileHasher(string? cachePath)
    {
        _cachePath = cachePath;
        if (cachePath is not null && File.Exists(cachePath))
        {
            try
            {
                var stored = JsonSerializer.Deserialize<Dictionary<string, StatEntry>>(File.ReadAllText(cachePath));
                foreach (var (path, entry) in stored ?? [])
                {
                    _entries[path] = entry;
                }
            }
            catch (JsonException)
            {
                // A damaged cache only costs re-reading the files: start empty.
                _entries.Clear();
            }
        }
    }

    /// <summary>How many files this instance actually read (cache misses), for logs and tests.</summary>
    public int FilesRead => Volatile.Read(ref _filesRead);

    /// <summary>The file's content hash, from the cache when its size and time are unchanged.</summary>
    public async Task<string> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        var fullPath = Path.GetFullPath(path);
        var info = new FileInfo(fullPath);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"Cannot hash '{fullPath}': the file does not exist.", fullPath);
        }

        var size = info.Length;
        var mtime = info.LastWriteTimeUtc.Ticks;
        var inode = FileIdentity.Inode(fullPath);
        if (_entries.TryGetValue(fullPath, out var cached) && cached.Size == size && cached.MtimeTicks == mtime && cached.Inode == inode
            && cached.HashedAtTicks - mtime >= RacyWindow.Ticks)
        {
            return cached.Hash;
        }

        var hashedAt = DateTime.UtcNow.Ticks;
        var hash = await HashContentAsync(fullPath, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _filesRead);
        _entries[fullPath] = new StatEntry(size, mtime, inode, hashedAt, hash);
        return hash;
    }

    /// <summary>Writes the stat cache (atomically). Entries for files that no longer exist are dropped.</summary>
    public void Save()
    {
        if (_cachePath is null)
        {
            return;
        }

        lock (_saveLock)
        {
            var snapshot = new SortedDictionary<string, StatEntry>(StringComparer.Ordinal);
            foreach (var (path, entry) in _entries)
            {
                if (File.Exists(path))
                {
                    snapshot[path] = entry;
                }
            }

            AtomicFile.WriteAllText(_cachePath, JsonSerializer.Serialize(snapshot));
        }
    }

    /// <summary>The xxHash128 of a string, as 32 hex digits.</summary>
    public static string HashText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Convert.ToHexStringLower(XxHash128.Hash(System.Text.Encoding.UTF8.GetBytes(text)));
    }

    private static async Task<string> HashContentAsync(string fullPath, CancellationToken cancellationToken)
    {
        var hasher = new XxHash128();
        var stream = new FileStream(fullPath, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.Read,
            BufferSize = 0,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
        });
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[BufferSize];
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hasher.Append(buffer.AsSpan(0, read));
            }
        }

        return Convert.ToHexStringLower(hasher.GetCurrentHash());
    }

    /// <summary>One cached hash: the size, time and inode (0 where unknown) it was taken for, and when.</summary>
    internal sealed record StatEntry(long Size, long MtimeTicks, ulong Inode, long HashedAtTicks, string Hash);
}
