using System.Globalization;
using System.Text.Json;
using Pipeline.Configuration;
using Pipeline.Evaluation.Gating;
using Pipeline.Evaluation.Reporting;
using SkiaSharp;

namespace Pipeline.Evaluation.Tests;

public sealed class ReportSpecs : IDisposable
{
    private static readonly BootstrapOptions Bootstrap = new() { Resamples = 300 };
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "eval-report-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task I_can_write_a_report_whose_charts_are_valid_pngs_and_whose_markdown_numbers_match_the_json()
    {
        // Arrange
        var (document, _) = Report(withChampion: true);

        // Act
        var written = await ReportWriter.WriteAsync(document, _directory, null, CancellationToken.None);

        // Assert: every chart is a PNG that decodes to the size it was drawn at.
        var pngs = written.Where(p => p.EndsWith(".png", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, pngs.Count);
        foreach (var png in pngs)
        {
            var bytes = await File.ReadAllBytesAsync(png);
            Assert.Equal(PngSignature, bytes.Take(8));
            using var bitmap = SKBitmap.Decode(bytes);
            Assert.NotNull(bitmap);
            Assert.Equal((900, 650), (bitmap.Width, bitmap.Height));
        }

        // Assert: the metric table in report.md carries report.json's numbers.
        var markdown = await File.ReadAllTextAsync(Path.Combine(_directory, ReportWriter.MarkdownFile));
        using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(_directory, ReportWriter.JsonFile)));
        var metrics = json.RootElement.GetProperty("tasks")[0].GetProperty("metrics");
        Assert.Equal(7, metrics.GetArrayLength());
        foreach (var metric in metrics.EnumerateArray())
        {
            var name = metric.GetProperty("metric").GetString()!;
            var row = markdown.Split('\n').Single(l => l.StartsWith($"| {name} |", StringComparison.Ordinal));
            var cells = row.Split('|', StringSplitOptions.TrimEntries).Where(c => c.Length > 0).ToArray();
            Assert.Equal(Fixed(metric.GetProperty("champion").GetDouble()), cells[1]);
            Assert.Equal(Fixed(metric.GetProperty("challenger").GetDouble()), cells[2]);
            Assert.Equal(Fixed(metric.GetProperty("delta").GetDouble(), signed: true), cells[3]);
            var interval = metric.GetProperty("interval");
            Assert.Equal($"[{Fixed(interval.GetProperty("lower").GetDouble(), true)}, {Fixed(interval.GetProperty("upper").GetDouble(), true)}]", cells[4]);
        }

        Assert.Equal("PASS as challenger", json.RootElement.GetProperty("verdict").GetString());
        Assert.StartsWith("**Verdict: PASS as challenger**", markdown, StringComparison.Ordinal);
        Assert.Equal(ReportWriter.Read(Path.Combine(_directory, ReportWriter.JsonFile)).Tasks[0].Metrics, document.Tasks[0].Metrics);
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task I_can_read_the_sections_of_other_stages_the_rules_and_the_error_analysis_in_the_report()
    {
        // Arrange
        var (document, _) = Report(withChampion: true);

        // Act
        await ReportWriter.WriteAsync(document, _directory, null, CancellationToken.None);
        var markdown = await File.ReadAllTextAsync(Path.Combine(_directory, ReportWriter.MarkdownFile));

        // Assert
        Assert.Contains("## Data quality\n\n| label | rows added |", markdown, StringComparison.Ordinal);
        Assert.Contains("Technique: LoRA", markdown, StringComparison.Ordinal);
        Assert.Contains("| `abc1234` | `sha256:feed` | `cfg42` |", markdown, StringComparison.Ordinal);
        Assert.Contains("| macro_f1 improves significantly (CI lower bound > 0) | not significant (challenger) |", markdown, StringComparison.Ordinal);
        Assert.Contains("![Training and validation loss](charts/loss.png)", markdown, StringComparison.Ordinal);
        Assert.Contains("McNemar's exact test on accuracy: b = ", markdown, StringComparison.Ordinal);

        // The misclassified rows are masked, then cut to 160 characters, and the pipe in the text is escaped.
        var misclassified = document.Tasks[0].Misclassified;
        Assert.NotEmpty(misclassified);
        Assert.All(misclassified, r => Assert.Equal(160, r.Text!.Length));
        Assert.All(misclassified, r => Assert.DoesNotContain("@example.com", r.Text!, StringComparison.Ordinal));
        Assert.Contains("[EMAIL] says a\\|b", markdown, StringComparison.Ordinal);
        Assert.True(misclassified.Zip(misclassified.Skip(1)).All(p => p.First.Confidence >= p.Second.Confidence));
    }

    [Fact]
    public void I_can_see_per_label_deltas_sorted_by_size_and_the_most_confused_pairs()
    {
        // Arrange / Act
        var (document, _) = Report(withChampion: true);

        // Assert
        var deltas = document.Tasks[0].PerClass.Select(c => Math.Abs(c.F1Delta!.Value)).ToList();
        Assert.Equal(deltas.OrderByDescending(d => d), deltas);
        var confused = document.Tasks[0].MostConfused;
        Assert.Equal(confused.OrderByDescending(p => p.Count).Select(p => p.Count), confused.Select(p => p.Count));
        Assert.All(confused, p => Assert.NotEqual(p.True, p.Predicted));
    }

    [Fact]
    public async Task I_can_append_the_report_to_the_github_step_summary_without_chart_links()
    {
        // Arrange
        var (document, _) = Report(withChampion: false);
        Directory.CreateDirectory(_directory);
        var summary = Path.Combine(_directory, "summary.md");
        await File.WriteAllTextAsync(summary, "earlier step\n");

        // Act
        await ReportWriter.WriteAsync(document, Path.Combine(_directory, "artifacts"), summary, CancellationToken.None);

        // Assert
        var text = await File.ReadAllTextAsync(summary);
        Assert.StartsWith("earlier step\n**Verdict: PASS**", text, StringComparison.Ordinal);
        Assert.DoesNotContain("](charts/", text, StringComparison.Ordinal);
        Assert.Contains("| macro_f1 | — |", text, StringComparison.Ordinal);
        Assert.Contains("not applicable (no champion)", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task I_can_write_one_section_and_one_pair_of_charts_per_task_for_a_multitask_model()
    {
        // Arrange
        var intent = Build.Scored(40, 4, i => i % 5 != 0);
        var urgency = Build.Scored(40, 2, i => i % 3 != 0) with { Task = "urgency" };
        var challenger = Build.Model("challenger", intent, urgency);
        var result = Evaluator.Evaluate(challenger, null, Bootstrap);
        var gate = Gate.Apply(result, [new GateRuleOptions { Metric = "macro_f1", Min = 0.5 }]);
        var document = ReportBuilder.Build(result, gate, challenger, Bootstrap);

        // Act
        await ReportWriter.WriteAsync(document, _directory, null, CancellationToken.None);

        // Assert
        var markdown = await File.ReadAllTextAsync(Path.Combine(_directory, ReportWriter.MarkdownFile));
        Assert.Contains("## Metrics — intent", markdown, StringComparison.Ordinal);
        Assert.Contains("## Metrics — urgency", markdown, StringComparison.Ordinal);
        Assert.Contains("| urgency/macro_f1 >= 0.5 | pass |", markdown, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_directory, "charts", "confusion-matrix-urgency.png")));
        Assert.True(File.Exists(Path.Combine(_directory, "charts", "per-class-f1-intent.png")));
        Assert.False(File.Exists(Path.Combine(_directory, "charts", "loss.png")));
    }

    [Fact]
    public async Task I_can_see_the_misclassified_images_as_a_grid_of_thumbnails_with_their_true_and_predicted_labels()
    {
        // Arrange: 28×28 grey-ish images; the misclassified ones are a bright red square on black.
        var labels = new[] { "shirt", "sneaker", "bag" };
        var task = Build.Scored(30, 3, i => i % 4 != 0, labels);
        var challenger = Build.Model("challenger", task);
        var result = Evaluator.Evaluate(challenger, null, Bootstrap);
        var gate = Gate.Apply(result, [new GateRuleOptions { Metric = "macro_f1", Min = 0.1 }]);
        var images = task.Rows.ToDictionary(r => r.RowId, r => Square(28, red: int.Parse(r.RowId[1..], CultureInfo.InvariantCulture) % 4 == 0));
        var document = ReportBuilder.Build(result, gate, challenger, Bootstrap, new ReportInputs { RowImages = images, MisclassifiedSample = 5 });

        // Act
        var written = await ReportWriter.WriteAsync(document, _directory, null, CancellationToken.None);

        // Assert: one grid of the five most confident mistakes, linked from report.md, listed in report.json.
        var grid = Path.Combine(_directory, "charts", "misclassified.png");
        Assert.Contains(grid, written);
        var markdown = await File.ReadAllTextAsync(Path.Combine(_directory, ReportWriter.MarkdownFile));
        Assert.Contains("](charts/misclassified.png)", markdown, StringComparison.Ordinal);
        Assert.Contains("charts/misclassified.png", ReportWriter.Read(Path.Combine(_directory, ReportWriter.JsonFile)).Charts);
        using var bitmap = SKBitmap.Decode(await File.ReadAllBytesAsync(grid));
        Assert.Equal((8 + (5 * 120), 8 + 154), (bitmap.Width, bitmap.Height));

        // The first cell shows a misclassified row's pixels (pure red), scaled up to the cell.
        Assert.Equal(5, document.Tasks[0].Misclassified.Count);
        Assert.All(document.Tasks[0].Misclassified, m => Assert.True(images[m.RowId].Rgb[0] == 255));
        var centre = bitmap.GetPixel(8 + 56, 8 + 56);
        Assert.Equal((byte)255, centre.Red);
        Assert.Equal((byte)0, centre.Green);

        // Captions are drawn in the strip below the thumbnail (some non-white pixels there).
        var caption = Enumerable.Range(8, 100).Count(x => bitmap.GetPixel(x, 8 + 112 + 9) != SKColors.White);
        Assert.True(caption > 0, "the caption strip is blank");
    }

    [Fact]
    public void I_can_truncate_text_to_one_line_with_an_ellipsis()
    {
        // Act / Assert
        Assert.Equal("short text", ReportBuilder.Truncate("short\ntext", 160));
        Assert.Equal("abcdefghijklmnopqrs…", ReportBuilder.Truncate(new string('x', 0) + "abcdefghijklmnopqrstuvwxyz", 20));
    }

    /// <summary>A size×size image: a red square when <paramref name="red"/>, else mid grey.</summary>
    private static ReportImage Square(int size, bool red)
    {
        var rgb = new byte[size * size * 3];
        for (var p = 0; p < rgb.Length; p += 3)
        {
            (rgb[p], rgb[p + 1], rgb[p + 2]) = red ? ((byte)255, (byte)0, (byte)0) : ((byte)128, (byte)128, (byte)128);
        }

        return new ReportImage(rgb, size, size);
    }

    private static string Fixed(double value, bool signed = false) =>
        (signed && value >= 0 ? "+" : "") + value.ToString("0.0000", CultureInfo.InvariantCulture);

    private static (ReportDocument Document, GateResult Gate) Report(bool withChampion)
    {
        var labels = new[] { "billing", "refund", "login", "shipping", "other" };
        var challengerTask = Build.Scored(150, 5, i => i % 7 != 0, labels);
        var challenger = Build.Model("challenger", challengerTask);
        var champion = withChampion ? Build.Model("champion", Build.Scored(150, 5, i => i % 6 != 0, labels)) : null;
        var result = Evaluator.Evaluate(challenger, champion, Bootstrap);
        var gate = Gate.Apply(result, new EvaluateOptions().Gates);
        var texts = challengerTask.Rows.ToDictionary(r => r.RowId, r => $"jane.doe@example.com says a|b about {r.RowId} " + new string('x', 300));
        var inputs = new ReportInputs
        {
            DataQualityMarkdown = "| label | rows added |\n|---|---:|\n| refund | 12 |",
            TrainingFactsMarkdown = "Technique: LoRA on MiniLM, 3 epochs.",
            Lineage = new Lineage("abc1234", "sha256:feed", "cfg42"),
            LossCurve = [.. Enumerable.Range(1, 30).Select(s => new LossPoint(s * 10, 2.0 / s, s % 5 == 0 ? 2.2 / s : null))],
            RowTexts = texts,
            MaskPii = t => t.Replace("jane.doe@example.com", "[EMAIL]", StringComparison.Ordinal),
        };
        return (ReportBuilder.Build(result, gate, challenger, Bootstrap, inputs), gate);
    }
}
