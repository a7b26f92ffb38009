using Pipeline.Errors;
using Pipeline.Stages.Lineage;
using Pipeline.Stages.Tests.Support;

namespace Pipeline.Stages.Tests.Lineage;

public sealed class GitLineageSpecs : IDisposable
{
    private readonly TempGitRepository _repo = new();

    public GitLineageSpecs()
    {
        _repo.Write("data/labeled/a.jsonl", "{\"text\":\"where is my parcel\",\"intent\":\"shipping\"}\n");
        _repo.Write("pipeline.yaml", "train:\n  epochs: 3\n");
        _repo.Write("src/Code.cs", "// code\n");
    }

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task I_can_read_commit_branch_and_remote_without_the_token_in_its_url()
    {
        // Arrange
        var commit = _repo.Commit("data");
        _repo.AddRemote("origin", "https://x-access-token:ghs_secret123@github.com/acme/intents.git");

        // Act
        var context = await GitLineage.ReadAsync(_repo.Path, new LineageOptions { Environment = _ => null });

        // Assert
        Assert.Equal(commit, context.Commit);
        Assert.Equal(commit[..7], context.ShortCommit);
        Assert.Equal("master", context.Branch);
        Assert.Equal("https://github.com/acme/intents.git", context.RemoteUrl);
        Assert.False(context.IsDirty);
        Assert.Empty(context.DirtyPaths);
    }

    [Fact]
    public async Task I_can_read_the_branch_from_CI_when_the_checkout_is_detached()
    {
        // Arrange
        var commit = _repo.Commit("data");
        _repo.Checkout(commit);
        var environment = new Dictionary<string, string> { ["GITHUB_REF_NAME"] = "main" };

        // Act
        var context = await GitLineage.ReadAsync(_repo.Path, new LineageOptions { Environment = environment.GetValueOrDefault });

        // Assert
        Assert.Equal("main", context.Branch);
    }

    [Theory]
    [InlineData("https://user:pa@ss@example.com:8443/o/r.git", "https://example.com:8443/o/r.git")]
    [InlineData("https://token@github.com/o/r", "https://github.com/o/r")]
    [InlineData("git@github.com:o/r.git", "git@github.com:o/r.git")]
    [InlineData("ssh://git@host/o/r.git", "ssh://host/o/r.git")]
    [InlineData("/srv/git/r.git", "/srv/git/r.git")]
    public void I_can_strip_credentials_from_any_remote_url(string url, string expected) =>
        Assert.Equal(expected, RemoteUrls.StripCredentials(url));

    [Fact]
    public async Task I_can_fingerprint_clean_data_by_its_git_tree_and_dirty_data_by_content()
    {
        // Arrange
        _repo.Commit("data");
        var clean = await GitLineage.ReadAsync(_repo.Path);
        _repo.Write("src/Code.cs", "// code changed\n");
        var codeDirty = await GitLineage.ReadAsync(_repo.Path);

        // Act
        _repo.Write("data/labeled/b.jsonl", "{\"text\":\"refund\",\"intent\":\"billing\"}\n");
        var dataDirty = await GitLineage.ReadAsync(_repo.Path);
        _repo.Delete("data/labeled/b.jsonl");
        var dataCleanAgain = await GitLineage.ReadAsync(_repo.Path);

        // Assert
        Assert.Matches("^git-tree:[0-9a-f]{40}$", clean.DataFingerprint);
        Assert.Equal(clean.DataFingerprint, codeDirty.DataFingerprint);
        Assert.True(codeDirty.IsDirty);
        Assert.False(codeDirty.DirtyDataOrConfig);
        Assert.Matches("^content:[0-9a-f]{32}$", dataDirty.DataFingerprint);
        Assert.True(dataDirty.DirtyDataOrConfig);
        Assert.Equal(["data/labeled/b.jsonl", "src/Code.cs"], dataDirty.DirtyPaths);
        Assert.Equal(clean.DataFingerprint, dataCleanAgain.DataFingerprint);
    }

    [Fact]
    public async Task I_get_an_error_from_register_if_the_tree_is_dirty_unless_I_allow_it()
    {
        // Arrange
        _repo.Commit("data");
        _repo.Write("pipeline.yaml", "train:\n  epochs: 9\n");
        var context = await GitLineage.ReadAsync(_repo.Path);

        // Act
        var error = Assert.Throws<DirtyWorkingTreeException>(() => context.EnsureCleanForRegister(allowDirty: false));
        context.EnsureCleanForRegister(allowDirty: true);

        // Assert
        Assert.Contains("uncommitted changes (pipeline.yaml)", error.Message, StringComparison.Ordinal);
        Assert.Contains("--allow-dirty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task I_get_an_error_saying_what_to_do_outside_a_repository_or_before_the_first_commit()
    {
        // Arrange
        using var plain = new TempFolder();

        // Act
        var outside = await Assert.ThrowsAsync<PipelineException>(() => GitLineage.ReadAsync(plain.Path));
        var empty = await Assert.ThrowsAsync<PipelineException>(() => GitLineage.ReadAsync(_repo.Path));

        // Assert
        Assert.Contains("is not inside a Git repository", outside.Message, StringComparison.Ordinal);
        Assert.Contains("has no commit yet", empty.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void I_can_turn_source_globs_into_the_data_folders_to_watch() =>
        Assert.Equal(["data/labeled", "data/extra/x.csv", "."], LineageOptions.FoldersOf(["data/labeled/*.jsonl", "data/labeled/**/*.csv", "data/extra/x.csv", "*.jsonl"]));
}
