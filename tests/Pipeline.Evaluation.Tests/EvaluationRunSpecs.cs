using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Configuration;
using Pipeline.Evaluation.Gating;
using Pipeline.Evaluation.Reporting;

namespace Pipeline.Evaluation.Tests;

public sealed class EvaluationRunSpecs : IDisposable
{
    private static readonly EvaluateOptions Options = new() { Bootstrap = new BootstrapOptions { Resamples = 500 } };

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "eval-run-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task I_get_the_gate_failure_after_the_report_is_written_when_a_rule_fails()
    {
        // Arrange: the challenger falls 10 points below the champion.
        var champion = Build.Model("champion", Build.Scored(20, 2, i => i < 18));
        var challenger = Build.Model("challenger", Build.Scored(20, 2, i => i < 16));

        // Act
        var error = await Assert.ThrowsAsync<GateFailedException>(() =>
            EvaluationRun.RunAsync(challenger, champion, Options, null, _directory, null, NullLogger.Instance, CancellationToken.None));

        // Assert
        Assert.Equal("Gate failed: accuracy >= champion - 0.01 (got 0.8, champion 0.9, delta -0.1)", error.Message);
        var markdown = await File.ReadAllTextAsync(Path.Combine(_directory, ReportWriter.MarkdownFile));
        Assert.StartsWith("**Verdict: FAIL** (Gate failed: accuracy >= champion - 0.01", markdown, StringComparison.Ordinal);
        Assert.Equal(GateVerdict.Fail, ReportWriter.Read(Path.Combine(_directory, ReportWriter.JsonFile)).VerdictCode);
    }

    [Fact]
    public async Task I_can_run_a_first_evaluation_without_a_champion_and_pass_on_the_floor()
    {
        // Arrange
        var challenger = Build.Model("challenger", Build.Scored(40, 4, i => i % 10 != 0));

        // Act
        var outcome = await EvaluationRun.RunAsync(challenger, null, Options, null, _directory, null, NullLogger.Instance, CancellationToken.None);

        // Assert
        Assert.Equal(GateVerdict.Pass, outcome.Gate.Verdict);
        Assert.Contains(Path.Combine(_directory, ReportWriter.MarkdownFile), outcome.Files);
        Assert.All(outcome.Files, f => Assert.True(File.Exists(f)));
    }

    [Fact]
    public async Task I_can_round_trip_predictions_through_a_file_and_get_an_error_naming_a_bad_file()
    {
        // Arrange
        var predictions = Build.Model("challenger", Build.Scored(5, 3, i => i != 2));
        var path = Path.Combine(_directory, PredictionsFile.DefaultFileName);
        var bad = Path.Combine(_directory, "bad.json");

        // Act
        await PredictionsFile.WriteAsync(predictions, path, CancellationToken.None);
        var read = await PredictionsFile.ReadAsync(path, CancellationToken.None);
        await File.WriteAllTextAsync(bad, """{"model_name": "m", "tasks": [{"task": "t", "labels": []}]}""");
        var error = await Assert.ThrowsAsync<EvaluationException>(() => PredictionsFile.ReadAsync(bad, CancellationToken.None));
        var missing = await Assert.ThrowsAsync<EvaluationException>(() => PredictionsFile.ReadAsync(Path.Combine(_directory, "none.json"), CancellationToken.None));

        // Assert
        Assert.Equal(predictions.ModelName, read.ModelName);
        Assert.Equal(
            predictions.Tasks[0].Rows.Select(r => (r.RowId, r.TrueLabel, string.Join(",", r.Probabilities))),
            read.Tasks[0].Rows.Select(r => (r.RowId, r.TrueLabel, string.Join(",", r.Probabilities))));
        Assert.Equal(predictions.Tasks[0].LabelNames, read.Tasks[0].LabelNames);
        Assert.Contains("bad.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("run the Train stage first", missing.Message, StringComparison.Ordinal);
    }
}
