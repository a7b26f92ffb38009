using Pipeline.Data.Sources;

namespace Pipeline.Data.Tests;

public sealed class SourceResolverSpecs : IDisposable
{
    private readonly TempRepo _repo = new();
    private readonly TempRepo _outside = new();

    public void Dispose()
    {
        _repo.Dispose();
        _outside.Dispose();
    }

    [Theory]
    [InlineData("../*.jsonl")]
    [InlineData("data/../../secrets/*.jsonl")]
    [InlineData("/etc/*.conf")]
    public void I_can_get_an_error_if_a_source_path_leaves_the_repository(string path)
    {
        // Arrange
        var spec = new SourceSpec { Path = path };

        // Act
        var error = Assert.Throws<SourceAccessException>(() => SourceResolver.Resolve(_repo.Root, [spec], []));

        // Assert
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("--source", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void I_can_get_an_error_if_a_symlink_inside_the_repository_points_outside()
    {
        // Arrange
        var secret = _outside.Write("secret.jsonl", "{}");
        Directory.CreateDirectory(Path.Combine(_repo.Root, "data"));
        File.CreateSymbolicLink(Path.Combine(_repo.Root, "data", "a.jsonl"), secret);
        Directory.CreateSymbolicLink(Path.Combine(_repo.Root, "linked"), _outside.Root);

        // Act
        var file = Assert.Throws<SourceAccessException>(() => SourceResolver.Resolve(_repo.Root, [new SourceSpec { Path = "data/*.jsonl" }], []));
        var folder = Assert.Throws<SourceAccessException>(() => SourceResolver.Resolve(_repo.Root, [new SourceSpec { Path = "linked/*.jsonl" }], []));

        // Assert
        Assert.Contains("symlink", file.Message, StringComparison.Ordinal);
        Assert.Contains("linked/secret.jsonl", folder.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void I_can_follow_a_symlink_that_stays_inside_and_read_an_extra_source_folder_in_a_stable_order()
    {
        // Arrange
        _repo.Write("data/b.jsonl", "{}");
        _repo.Write("data/a.jsonl", "{}");
        _repo.Write("data/sub/c.jsonl", "{}");
        File.CreateSymbolicLink(Path.Combine(_repo.Root, "data", "link.jsonl"), Path.Combine(_repo.Root, "data", "a.jsonl"));
        _outside.Write("data/z.jsonl", "{}");

        // Act
        var files = SourceResolver.Resolve(_repo.Root, [new SourceSpec { Path = "data/**/*.jsonl" }], [_outside.Root]);

        // Assert
        Assert.Equal(["data/a.jsonl", "data/b.jsonl", "data/link.jsonl", "data/sub/c.jsonl", "data/z.jsonl"], files.Select(f => f.DisplayPath));
        Assert.StartsWith(_outside.Root, files[^1].FullPath, StringComparison.Ordinal);
    }
}
