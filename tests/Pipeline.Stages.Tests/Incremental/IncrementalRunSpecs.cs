using Pipeline.Errors;
using Pipeline.Stages.Incremental;
using Pipeline.Stages.Tests.Support;

namespace Pipeline.Stages.Tests.Incremental;

public sealed class IncrementalRunSpecs : IDisposable
{
    private readonly TempFolder _repo = new();
    private readonly FakePipeline _pipeline;
    private readonly ListLogger _log = new();

    public IncrementalRunSpecs()
    {
        _repo.Write("data/labeled/a.jsonl", "{\"text\":\"where is my parcel\",\"intent\":\"shipping\"}\n");
        _repo.Write("data/labeled/b.jsonl", "{\"text\":\"refund me\",\"intent\":\"billing\"}\n");
        _repo.Write("pipeline.yaml", "train:\n  epochs: 3\n");
        _pipeline = new FakePipeline(_repo.Path);
    }

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task I_can_run_twice_without_changes_and_every_stage_is_skipped_with_one_line_saying_why()
    {
        // Arrange
        await _pipeline.RunAsync(_log);

        // Act
        var second = await _pipeline.RunAsync(_log);

        // Assert
        Assert.All(second, o => Assert.True(o.Skipped, o.Reason));
        Assert.All(_pipeline.All, s => Assert.Equal(1, s.Runs));
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"Clean: up to date (inputs {second[1].Fingerprint[..4]}…, unchanged since {today})", _log.Lines);
    }

    [Fact]
    public async Task I_can_change_one_data_file_and_only_ingest_and_what_depends_on_it_reruns()
    {
        // Arrange
        await _pipeline.RunAsync(_log);
        _repo.Write("data/labeled/b.jsonl", "{\"text\":\"refund me please\",\"intent\":\"billing\"}\n");

        // Act
        var second = await _pipeline.RunAsync(_log);

        // Assert
        Assert.All(second, o => Assert.False(o.Skipped));
        Assert.Contains("file:data/labeled/b.jsonl", second[0].Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("a.jsonl", second[0].Reason, StringComparison.Ordinal);
        Assert.All(_pipeline.All, s => Assert.Equal(2, s.Runs));
    }

    [Fact]
    public async Task I_can_touch_a_data_file_without_changing_its_content_and_nothing_reruns()
    {
        // Arrange
        await _pipeline.RunAsync(_log);
        File.SetLastWriteTimeUtc(Path.Combine(_repo.Path, "data/labeled/a.jsonl"), DateTime.UtcNow.AddMinutes(5));

        // Act
        var second = await _pipeline.RunAsync(_log);

        // Assert
        Assert.All(second, o => Assert.True(o.Skipped, o.Reason));
    }

    [Fact]
    public async Task I_can_change_only_the_train_section_and_only_train_onward_reruns()
    {
        // Arrange
        await _pipeline.RunAsync(_log);
        _repo.Write("pipeline.yaml", "train:\n  epochs: 4\n");

        // Act
        var second = await _pipeline.RunAsync(_log);

        // Assert
        Assert.True(second[0].Skipped);
        Assert.True(second[1].Skipped);
        Assert.False(second[2].Skipped);
        Assert.Equal("inputs changed: config:train", second[2].Reason);
        Assert.Equal(2, _pipeline.Train.Runs);
    }

    [Fact]
    public async Task I_can_corrupt_or_delete_an_output_and_the_stage_is_rebuilt()
    {
        // Arrange
        await _pipeline.RunAsync(_log);
        var cleanOutput = Path.Combine(_repo.Path, "artifacts/clean/rows.jsonl");
        var good = File.ReadAllText(cleanOutput);
        File.WriteAllText(cleanOutput, "garbage");
        File.SetLastWriteTimeUtc(cleanOutput, File.GetLastWriteTimeUtc(cleanOutput).AddSeconds(-30));

        // Act
        var afterCorruption = await _pipeline.RunAsync(_log);
        Directory.Delete(Path.Combine(_repo.Path, "artifacts/train"), recursive: true);
        var afterDeletion = await _pipeline.RunAsync(_log);

        // Assert
        Assert.Equal("output 'clean/rows.jsonl' changed since the last run (corrupted or edited)", afterCorruption[1].Reason);
        Assert.Equal(good, File.ReadAllText(cleanOutput));
        Assert.True(afterCorruption[2].Skipped, "Train's input is the rebuilt, identical Clean output");
        Assert.Equal("output 'train' is missing", afterDeletion[2].Reason);
        Assert.True(File.Exists(Path.Combine(_repo.Path, "artifacts/train/model.bin")));
    }

    [Fact]
    public async Task I_can_force_every_stage_or_just_one()
    {
        // Arrange
        await _pipeline.RunAsync(_log);

        // Act
        var forcedAll = await _pipeline.RunAsync(_log, _pipeline.Settings with { Force = true });
        var forcedTrain = await _pipeline.RunAsync(_log, options: new IncrementalOptions { ForceStages = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "train" } });

        // Assert
        Assert.All(forcedAll, o => Assert.Equal("forced: --force", o.Reason));
        Assert.Equal([true, true, false], forcedTrain.Select(o => o.Skipped));
        Assert.Equal("forced: --force-stage Train", forcedTrain[2].Reason);
    }

    [Fact]
    public async Task I_can_fail_a_stage_and_no_lock_entry_is_written_so_the_next_run_retries_it()
    {
        // Arrange
        await _pipeline.RunAsync(_log);
        _repo.Write("pipeline.yaml", "train:\n  epochs: 5\n");
        var before = File.ReadAllText(Path.Combine(_repo.Path, "pipeline.lock"));
        _pipeline.Train.BeforeWrite = _ => throw new PipelineException("out of memory");

        // Act
        await Assert.ThrowsAsync<PipelineException>(() => _pipeline.RunAsync(_log));
        var afterFailure = File.ReadAllText(Path.Combine(_repo.Path, "pipeline.lock"));
        var modelAfterFailure = File.ReadAllText(Path.Combine(_repo.Path, "artifacts/train/model.bin"));
        _pipeline.Train.BeforeWrite = null;
        var retry = await _pipeline.RunAsync(_log);

        // Assert
        Assert.Contains("epochs: 3", modelAfterFailure, StringComparison.Ordinal);
        Assert.Equal(before, afterFailure);
        Assert.False(retry[2].Skipped);
        Assert.Contains("epochs: 5", File.ReadAllText(Path.Combine(_repo.Path, "artifacts/train/model.bin")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task I_get_an_error_naming_the_output_if_a_stage_does_not_write_what_it_declares()
    {
        // Arrange
        var stage = new FakeStage("Evaluate", _ => new StageDeclaration { Inputs = [StageInput.Value("x", "1")], Outputs = ["evaluate/report.md"] }, _ => "x", "evaluate/other.md");
        var runner = new IncrementalRunner(_pipeline.Settings);

        // Act
        var error = await Assert.ThrowsAsync<StageFailedException>(() => runner.RunAsync(stage, _log));

        // Assert
        Assert.Contains("declares the output 'evaluate/report.md'", error.Message, StringComparison.Ordinal);
        Assert.Empty(runner.LockFile.Read());
    }

    [Fact]
    public async Task I_can_rerun_with_a_new_runner_and_unchanged_files_are_not_read_again_thanks_to_the_stat_cache()
    {
        // Arrange: files last written an hour ago, outside the racy window.
        var old = DateTime.UtcNow.AddHours(-1);
        File.SetLastWriteTimeUtc(Path.Combine(_repo.Path, "data/labeled/a.jsonl"), old);
        File.SetLastWriteTimeUtc(Path.Combine(_repo.Path, "data/labeled/b.jsonl"), old);
        var first = new IncrementalRunner(_pipeline.Settings);
        await first.RunAsync(_pipeline.Ingest, _log);

        // Act
        var second = new IncrementalRunner(_pipeline.Settings);
        var outcome = await second.RunAsync(_pipeline.Ingest, _log);

        // Assert
        Assert.True(outcome.Skipped);
        Assert.True(first.Hasher.FilesRead >= 2);
        Assert.True(File.Exists(Path.Combine(_repo.Path, "artifacts/.cache/file-hashes.json")));
        Assert.Equal(1, second.Hasher.FilesRead); // only the output written a moment ago, inside the racy window
    }
}
