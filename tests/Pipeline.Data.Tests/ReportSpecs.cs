using System.Text.Json;
using Pipeline.Data.Cleaning;
using Pipeline.Data.Formatting;
using Pipeline.Data.Ingest;
using Pipeline.Data.Reporting;
using Pipeline.Data.Sources;

namespace Pipeline.Data.Tests;

public sealed class ReportSpecs : IDisposable
{
    private readonly TempRepo _repo = new();

    public void Dispose() => _repo.Dispose();

    private async Task<DataReport> RunAsync(IEnumerable<(string Text, string Label)> rows)
    {
        var lines = rows.Select(r => JsonSerializer.Serialize(new { text = r.Text, label = r.Label }));
        _repo.Write("data/a.jsonl", string.Join('\n', lines) + "\n{\"text\": broken\n");
        var ingest = await _repo.IngestAsync(new SourceSpec { Path = "data/a.jsonl" });
        var clean = _repo.Clean();
        var format = _repo.Format();
        return DataReporter.Write(Path.Combine(_repo.Artifacts, "data"), ingest, clean, format);
    }

    [Fact]
    public async Task I_can_get_a_report_whose_counts_add_up_and_a_diff_against_the_previous_run()
    {
        // Arrange
        var first = Enumerable.Range(0, 60).Select(i => ($"question number {i} about my bill", "billing"))
            .Append(("question number 1 about my bill", "billing"))
            .Append(("hi", "billing"))
            .Append(("where is parcel 9", "Shipping"))
            .ToList();
        await RunAsync(first);

        // Act
        var second = await RunAsync(first.Where(r => r.Item2 != "Shipping").Append(("how do I reset my password", "account")).Append(("how do I change my email", "account")));

        // Assert
        Assert.Equal(second.RowsIn, second.RowsOut + second.Removed + second.Rejected);
        Assert.Equal(1, second.Rejected);
        Assert.Equal(1, second.Clean.RemovedByReason["exact_duplicate"]);
        Assert.Equal(1, second.Clean.RemovedByReason["too_short"]);
        Assert.Equal(second.RowsOut, second.Format.Splits.Values.Sum(s => s.Rows));
        var diff = Assert.IsType<DataDiff>(second.Diff);
        Assert.Equal(["account"], diff.NewLabels["label"]);
        Assert.Equal(["shipping"], diff.VanishedLabels["label"]);
        Assert.Equal(2, diff.LabelChanges["label"]["account"]);
        var markdown = File.ReadAllText(Path.Combine(_repo.Artifacts, "data", DataReporter.MarkdownFile));
        Assert.Contains("new labels: account; vanished: shipping", markdown, StringComparison.Ordinal);
        Assert.Contains("| billing |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void I_can_get_an_error_if_the_stage_summaries_come_from_different_runs()
    {
        // Arrange
        var ingest = new IngestSummary { Tasks = ["label"], Files = [], RowsIn = 10, Accepted = 10, RejectsByReason = new Dictionary<string, long>() };
        var clean = new CleanSummary { Tasks = ["label"], RowsIn = 9, RowsOut = 9, RemovedByReason = new Dictionary<string, long>(), LabelCounts = new Dictionary<string, SortedDictionary<string, long>>(), Lengths = new LengthStats(0, 0, 0, 0, 0, 0) };
        var format = new FormatSummary { RowsIn = 9, Splits = new Dictionary<string, SplitSummary>() };

        // Act
        var error = Assert.Throws<DataException>(() => DataReporter.Build(ingest, clean, format));

        // Assert
        Assert.Contains("Rerun Ingest, Clean and Format", error.Message, StringComparison.Ordinal);
    }
}
