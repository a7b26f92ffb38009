using Pipeline.Errors;
using Pipeline.Stages.Incremental;
using Pipeline.Stages.Tests.Support;

namespace Pipeline.Stages.Tests.Incremental;

public sealed class PipelineLockFileSpecs : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void I_can_write_entries_in_any_order_and_get_the_same_bytes_in_pipeline_order_back()
    {
        // Arrange
        var completed = new DateTimeOffset(2026, 11, 20, 9, 30, 0, TimeSpan.Zero);
        var train = new StageLockEntry("bb", completed, new Dictionary<string, string> { ["value:code"] = "2", ["config:train"] = "1" }, new Dictionary<string, string> { ["train"] = "dir:9" });
        var ingest = new StageLockEntry("aa", completed, new Dictionary<string, string> { ["file:data/labeled/b.jsonl"] = "2", ["file:data/labeled/a.jsonl"] = "1" }, new Dictionary<string, string> { ["ingest"] = "dir:8" });
        var one = new PipelineLockFile(Path.Combine(_folder.Path, "one.lock"));
        var two = new PipelineLockFile(Path.Combine(_folder.Path, "two.lock"));

        // Act
        one.WriteEntry("Train", train);
        one.WriteEntry("Ingest", ingest);
        two.WriteEntry("Ingest", ingest);
        two.WriteEntry("Train", train);

        // Assert
        var text = File.ReadAllText(one.Path);
        Assert.Equal(text, File.ReadAllText(two.Path));
        Assert.True(text.IndexOf("Ingest:", StringComparison.Ordinal) < text.IndexOf("Train:", StringComparison.Ordinal));
        Assert.True(text.IndexOf("a.jsonl", StringComparison.Ordinal) < text.IndexOf("b.jsonl", StringComparison.Ordinal));
        Assert.Contains("completed: 2026-11-20T09:30:00Z", text, StringComparison.Ordinal);
        var read = one.Read();
        Assert.Equal(completed, read["Train"].Completed);
        Assert.Equal("1", read["Ingest"].Inputs["file:data/labeled/a.jsonl"]);
        Assert.Equal("dir:9", read["Train"].Outputs["train"]);
    }

    [Fact]
    public void I_can_review_the_lock_file_as_plain_yaml_like_dvc_lock()
    {
        // Arrange
        var entry = new StageLockEntry(
            "3f2a",
            new DateTimeOffset(2026, 11, 20, 9, 30, 0, TimeSpan.Zero),
            new Dictionary<string, string> { ["file:data/labeled/a.jsonl"] = "11", ["config:clean"] = "22" },
            new Dictionary<string, string> { ["clean"] = "dir:33" });

        // Act
        var text = PipelineLockFile.Render(new Dictionary<string, StageLockEntry> { ["Clean"] = entry });

        // Assert
        Assert.Equal(
            """
            # pipeline.lock: the inputs and outputs of each stage's last completed run.
            # Written by the pipeline; commit it so reviewers see what data and config produced a model.
            schema: 1
            stages:
              Clean:
                fingerprint: 3f2a
                completed: 2026-11-20T09:30:00Z
                inputs:
                  config:clean: 22
                  file:data/labeled/a.jsonl: 11
                outputs:
                  clean: dir:33

            """.ReplaceLineEndings("\n"),
            text);
    }

    [Fact]
    public void I_get_an_error_saying_how_to_recover_if_the_lock_file_is_damaged()
    {
        // Arrange
        var path = _folder.Write("pipeline.lock", "schema: 1\nstages:\n  Train: [not, a, mapping\n");

        // Act
        var error = Assert.Throws<PipelineException>(() => new PipelineLockFile(path).Read());

        // Assert
        Assert.Contains("not a valid pipeline.lock", error.Message, StringComparison.Ordinal);
        Assert.Contains("Delete it", error.Message, StringComparison.Ordinal);
    }
}
