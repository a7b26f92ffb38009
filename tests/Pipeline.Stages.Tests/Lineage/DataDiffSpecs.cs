using Pipeline.Stages.Lineage;
using Pipeline.Stages.Tests.Support;

namespace Pipeline.Stages.Tests.Lineage;

public sealed class DataDiffSpecs : IDisposable
{
    private readonly TempGitRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    private static string Jsonl(params (string Text, string Intent)[] rows) =>
        string.Concat(rows.Select(r => $"{{\"text\":\"{r.Text}\",\"intent\":\"{r.Intent}\"}}\n"));

    [Fact]
    public void I_can_see_files_and_rows_added_and_removed_per_label_between_two_commits()
    {
        // Arrange
        _repo.Write("data/labeled/a.jsonl", Jsonl(("parcel late", "shipping"), ("refund", "billing"), ("hello", "greeting")));
        _repo.Write("data/labeled/old.jsonl", Jsonl(("bye", "greeting")));
        _repo.Write("data/labeled/c.csv", "text,label\n\"hi, there\",greeting\n");
        _repo.Write("README.md", "docs\n");
        var before = _repo.Commit("first data");
        _repo.Write("data/labeled/a.jsonl", Jsonl(("refund", "billing"), ("parcel late", "shipping"), ("where is it", "shipping")));
        _repo.Delete("data/labeled/old.jsonl");
        _repo.Write("data/labeled/b.jsonl", Jsonl(("cancel my plan", "cancel"), ("stop it", "cancel"), ("upgrade", "plans")));
        _repo.Write("data/labeled/c.csv", "text,label\n\"hi, there\",greeting\n\"multi\nline, quoted\",greeting\n");
        _repo.Write("README.md", "docs changed\n");
        var after = _repo.Commit("more data");

        // Act
        var diff = GitDataDiff.Compute(_repo.Path, before, after, new LineageOptions { LabelFields = ["intent", "label"] });

        // Assert
        Assert.Equal(["data/labeled/b.jsonl"], diff.FilesAdded);
        Assert.Equal(["data/labeled/old.jsonl"], diff.FilesRemoved);
        Assert.Equal(["data/labeled/a.jsonl", "data/labeled/c.csv"], diff.FilesModified);
        Assert.Equal(
            [new LabelDelta("cancel", 2, 0), new LabelDelta("greeting", 1, 2), new LabelDelta("plans", 1, 0), new LabelDelta("shipping", 1, 0)],
            diff.Labels);
        Assert.Equal(["cancel", "plans"], diff.NewLabels);
        Assert.Empty(diff.GoneLabels);
        Assert.Equal("+5 rows, 2 new labels, 2 rows removed", diff.Summary);
    }

    [Fact]
    public void I_can_read_large_counts_with_thousands_separators_and_see_labels_that_vanished()
    {
        // Arrange
        _repo.Write("data/a.jsonl", Jsonl(("x", "obsolete")));
        var before = _repo.Commit("one");
        _repo.Write("data/a.jsonl", string.Concat(Enumerable.Range(0, 1204).Select(i => $"{{\"text\":\"row {i}\",\"label\":\"new\"}}\n")));
        var after = _repo.Commit("many");

        // Act
        var diff = GitDataDiff.Compute(_repo.Path, before, after);

        // Assert
        Assert.Equal("+1,204 rows, 1 new label, 1 row removed, 1 label gone", diff.Summary);
        Assert.Equal(["obsolete"], diff.GoneLabels);
    }

    [Fact]
    public void I_can_diff_commits_with_no_data_change_and_get_no_data_changes()
    {
        // Arrange
        _repo.Write("data/a.jsonl", Jsonl(("x", "a")));
        var before = _repo.Commit("one");
        _repo.Write("src/x.cs", "//");
        var after = _repo.Commit("code only");

        // Act
        var diff = GitDataDiff.Compute(_repo.Path, before, after);

        // Assert
        Assert.False(diff.HasChanges);
        Assert.Equal("no data changes", diff.Summary);
    }

    [Fact]
    public void I_get_an_error_naming_the_commit_and_the_shallow_clone_hint_if_a_commit_is_unknown()
    {
        // Arrange
        _repo.Write("data/a.jsonl", Jsonl(("x", "a")));
        var head = _repo.Commit("one");

        // Act
        var error = Assert.Throws<Pipeline.Errors.PipelineException>(() => GitDataDiff.Compute(_repo.Path, "0123456789abcdef0123456789abcdef01234567", head));

        // Assert
        Assert.Contains("0123456789abcdef0123456789abcdef01234567", error.Message, StringComparison.Ordinal);
        Assert.Contains("fetch-depth: 0", error.Message, StringComparison.Ordinal);
    }
}
