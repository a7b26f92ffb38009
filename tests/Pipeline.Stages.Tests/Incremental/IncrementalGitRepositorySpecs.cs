using Pipeline.Stages.Incremental;
using Pipeline.Stages.Lineage;
using Pipeline.Stages.Tests.Support;

namespace Pipeline.Stages.Tests.Incremental;

/// <summary>Incremental runs in a real Git repository, with the code version taken from Git lineage.</summary>
public sealed class IncrementalGitRepositorySpecs : IDisposable
{
    private readonly TempGitRepository _repo = new();
    private readonly ListLogger _log = new();

    public IncrementalGitRepositorySpecs()
    {
        _repo.Write("data/labeled/a.jsonl", "{\"text\":\"where is my parcel\",\"intent\":\"shipping\"}\n");
        _repo.Write("pipeline.yaml", "train:\n  epochs: 3\n");
        _repo.Write("src/Trainer.cs", "// v1\n");
        _repo.Commit("initial");
    }

    public void Dispose() => _repo.Dispose();

    private async Task<IReadOnlyList<StageOutcome>> RunAsync()
    {
        var context = await GitLineage.ReadAsync(_repo.Path);
        var settings = new StageSettings { RepositoryRoot = _repo.Path };
        var ingest = new FakeStage(
            StageNames.Ingest,
            _ => new StageDeclaration { Inputs = [StageInput.Files("data/**/*.jsonl"), StageInput.CodeVersion(context.CodeFingerprint)], Outputs = ["ingest"] },
            s => File.ReadAllText(Path.Combine(s.RepositoryRoot, "data/labeled/a.jsonl")),
            "ingest/rows.jsonl");
        var train = new FakeStage(
            StageNames.Train,
            s => new StageDeclaration
            {
                Inputs = [StageInput.Artifacts("ingest"), StageInput.Config("train", File.ReadAllText(Path.Combine(s.RepositoryRoot, "pipeline.yaml"))), StageInput.CodeVersion(context.CodeFingerprint)],
                Outputs = ["train"],
            },
            s => "model: " + File.ReadAllText(Path.Combine(s.ResolvedArtifactsDirectory, "ingest/rows.jsonl")),
            "train/model.bin");
        var runner = new IncrementalRunner(settings);
        return [await runner.RunAsync(ingest, _log), await runner.RunAsync(train, _log)];
    }

    [Fact]
    public async Task I_can_commit_docs_and_nothing_reruns_but_a_code_change_reruns_every_stage()
    {
        // Arrange
        await RunAsync();
        _repo.Write("README.md", "docs\n");
        _repo.Commit("docs");

        // Act
        var afterDocs = await RunAsync();
        _repo.Write("src/Trainer.cs", "// v2\n");
        var afterUncommittedCode = await RunAsync();
        _repo.Commit("code");
        var afterCommittedCode = await RunAsync();

        // Assert
        Assert.All(afterDocs, o => Assert.True(o.Skipped, o.Reason));
        Assert.All(afterUncommittedCode, o => Assert.Contains("value:code", o.Reason, StringComparison.Ordinal));
        Assert.All(afterCommittedCode, o => Assert.Contains("value:code", o.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task I_can_commit_the_lock_file_and_a_clean_checkout_of_that_commit_skips_every_stage()
    {
        // Arrange
        await RunAsync();
        _repo.Commit("pipeline.lock after the run");

        // Act
        var again = await RunAsync();
        var context = await GitLineage.ReadAsync(_repo.Path);

        // Assert
        Assert.All(again, o => Assert.True(o.Skipped, o.Reason));
        Assert.False(context.IsDirty, string.Join(", ", context.DirtyPaths));
        Assert.Contains("fingerprint:", File.ReadAllText(Path.Combine(_repo.Path, "pipeline.lock")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task I_can_run_and_the_updated_lock_file_does_not_make_the_tree_dirty_for_register()
    {
        // Act
        var outcomes = await RunAsync();
        var context = await GitLineage.ReadAsync(_repo.Path);

        // Assert
        Assert.All(outcomes, o => Assert.False(o.Skipped));
        Assert.True(File.Exists(Path.Combine(_repo.Path, "pipeline.lock")));
        Assert.False(context.IsDirty, string.Join(", ", context.DirtyPaths));
        context.EnsureCleanForRegister(allowDirty: false);
    }
}
