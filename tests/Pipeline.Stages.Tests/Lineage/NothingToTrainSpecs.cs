using Pipeline.Stages.Lineage;
using Pipeline.Stages.Tests.Support;

namespace Pipeline.Stages.Tests.Lineage;

public sealed class NothingToTrainSpecs : IDisposable
{
    private readonly TempGitRepository _repo = new();
    private readonly string _champion;

    public NothingToTrainSpecs()
    {
        _repo.Write("data/labeled/a.jsonl", "{\"text\":\"x\",\"intent\":\"a\"}\n");
        _repo.Write("pipeline.yaml", "train:\n  epochs: 3\n");
        _repo.Write("src/Code.cs", "// code\n");
        _champion = _repo.Commit("champion's data");
    }

    public void Dispose() => _repo.Dispose();

    [Fact]
    public void I_get_nothing_to_train_when_only_docs_changed_since_the_champion()
    {
        // Arrange
        _repo.Write("README.md", "docs\n");
        _repo.Commit("docs");

        // Act
        var decision = NothingToTrain.Check(_repo.Path, _champion, "3");

        // Assert
        Assert.False(decision.ShouldTrain);
        Assert.Equal($"nothing to train: data and config unchanged since champion v3 (commit {_champion[..7]})", decision.Message);
    }

    [Theory]
    [InlineData("data/labeled/b.jsonl", "{\"text\":\"y\",\"intent\":\"b\"}\n", "data")]
    [InlineData("pipeline.yaml", "train:\n  epochs: 4\n", "config")]
    [InlineData("src/Code.cs", "// new code\n", "code")]
    public void I_get_a_reason_to_train_when_data_config_or_code_changed(string path, string contents, string area)
    {
        // Arrange
        _repo.Write(path, contents);
        _repo.Commit("change");

        // Act
        var decision = NothingToTrain.Check(_repo.Path, _champion[..7], "v3");

        // Assert
        Assert.True(decision.ShouldTrain);
        Assert.Equal([path], decision.ChangedPaths);
        Assert.Equal($"training: {area} changed since champion v3 (commit {_champion[..7]})", decision.Message);
    }

    [Fact]
    public void I_get_a_reason_to_train_when_data_changed_but_is_not_committed_yet()
    {
        // Arrange
        _repo.Write("data/labeled/a.jsonl", "{\"text\":\"x\",\"intent\":\"changed\"}\n");

        // Act
        var decision = NothingToTrain.Check(_repo.Path, _champion, "3");

        // Assert
        Assert.True(decision.ShouldTrain);
        Assert.Equal(["data/labeled/a.jsonl"], decision.ChangedPaths);
    }

    [Fact]
    public void I_am_told_to_train_when_the_champions_commit_is_not_in_a_shallow_clone()
    {
        // Act
        var decision = NothingToTrain.Check(_repo.Path, "0123456789abcdef0123456789abcdef01234567", "3");

        // Assert
        Assert.True(decision.ShouldTrain);
        Assert.Contains("is not in this clone", decision.Message, StringComparison.Ordinal);
    }
}
