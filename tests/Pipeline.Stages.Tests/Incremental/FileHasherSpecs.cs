using Pipeline.Stages.Incremental;
using Pipeline.Stages.Tests.Support;

namespace Pipeline.Stages.Tests.Incremental;

public sealed class FileHasherSpecs : IDisposable
{
    private static readonly DateTime LongAgo = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task I_can_hash_an_unchanged_file_twice_and_it_is_read_once()
    {
        // Arrange
        var path = _folder.Write("data.jsonl", "{\"text\":\"a\"}\n", LongAgo);
        var hasher = new FileHasher(Path.Combine(_folder.Path, "cache.json"));

        // Act
        var first = await hasher.HashFileAsync(path, CancellationToken.None);
        var second = await hasher.HashFileAsync(path, CancellationToken.None);

        // Assert
        Assert.Equal(first, second);
        Assert.Matches("^[0-9a-f]{32}$", first);
        Assert.Equal(1, hasher.FilesRead);
    }

    [Fact]
    public async Task I_can_replace_a_file_by_a_rename_that_keeps_size_and_time_and_the_change_is_still_seen()
    {
        // Arrange: same size, same mtime, different content, new inode (what cp -p or rsync -t do).
        var path = _folder.Write("data.jsonl", "aaaa", LongAgo);
        var hasher = new FileHasher(null);
        var before = await hasher.HashFileAsync(path, CancellationToken.None);
        var replacement = _folder.Write("incoming.tmp", "bbbb", LongAgo);
        File.Move(replacement, path, overwrite: true);

        // Act
        var after = await hasher.HashFileAsync(path, CancellationToken.None);

        // Assert
        if (OperatingSystem.IsLinux())
        {
            Assert.NotEqual(before, after);
        }
        else
        {
            Assert.True(hasher.FilesRead >= 1);
        }
    }

    [Fact]
    public async Task I_can_rewrite_a_file_within_the_racy_window_and_the_new_content_is_hashed()
    {
        // Arrange: written just now, so the cached hash is not trusted even if size and time match.
        var path = _folder.Write("fresh.txt", "1111");
        var time = File.GetLastWriteTimeUtc(path);
        var hasher = new FileHasher(null);
        var before = await hasher.HashFileAsync(path, CancellationToken.None);
        File.WriteAllText(path, "2222");
        File.SetLastWriteTimeUtc(path, time);

        // Act
        var after = await hasher.HashFileAsync(path, CancellationToken.None);

        // Assert
        Assert.NotEqual(before, after);
    }
}
