using System.Text.Json;
using Pipeline.Configuration;
using Pipeline.Data.Cleaning;
using Pipeline.Data.IO;
using Pipeline.Data.Model;
using Pipeline.Data.Sources;

namespace Pipeline.Data.Tests;

public sealed class CleanSpecs : IDisposable
{
    private const string LongText =
        "my package arrived damaged and the box was already open when the courier left it at the door of the building " +
        "so I would like to know whether you can send a replacement or refund the order because the item inside is broken " +
        "and I cannot use it for the birthday party that I planned for my daughter next weekend";

    private readonly TempRepo _repo = new();

    public void Dispose() => _repo.Dispose();

    private async Task IngestAsync(params (string Text, string Label)[] rows)
    {
        var lines = rows.Select((r, i) => JsonSerializer.Serialize(new { id = $"r{i + 1}", text = r.Text, label = r.Label }));
        _repo.Write("data/a.jsonl", string.Join('\n', lines) + "\n");
        await _repo.IngestAsync(new SourceSpec { Path = "data/a.jsonl", IdField = "id" });
    }

    private List<DataRecord> Kept() => [.. RecordJson.ReadRecords(Path.Combine(_repo.Artifacts, "clean", Cleaner.RecordsFile))];

    private List<(long Line, string Reason, string? Of)> Removed() =>
        [.. _repo.ReadLines("clean/removed.jsonl").Select(l => JsonDocument.Parse(l).RootElement).Select(e =>
            (e.GetProperty("line").GetInt64(), e.GetProperty("reason").GetString()!, e.TryGetProperty("duplicate_of", out var of) ? of.GetString() : null))];

    [Fact]
    public async Task I_can_normalise_unicode_whitespace_controls_and_labels_with_aliases()
    {
        // Arrange
        await IngestAsync(("  ﬁle\u00A0 a\tclaim\u0007 now\u200B ", " Billing "), ("cafe\u0301 order", "SHIP"));
        var options = new CleanOptions { LabelAliases = new Dictionary<string, string> { ["ship"] = "shipping" } };

        // Act
        var summary = _repo.Clean(options);

        // Assert
        Assert.Equal([("file a claim now", "billing"), ("café order", "shipping")], Kept().Select(r => (r.Text, r.Labels[0])));
        Assert.Equal(2, summary.RowsOut);
    }

    [Fact]
    public async Task I_can_remove_rows_out_of_length_bounds_and_with_unknown_labels()
    {
        // Arrange
        await IngestAsync(("ok", "billing"), ("a fine message", "billing"), (new string('x', 50), "billing"), ("another fine one", "biling"));

        // Act
        var summary = _repo.Clean(new CleanOptions { MaxChars = 40 }, ["billing", "shipping"]);

        // Assert
        Assert.Equal([(1L, RejectReasons.TooShort, null), (3L, RejectReasons.TooLong, null), (4L, RejectReasons.UnknownLabel, null)], Removed());
        Assert.Equal(summary.RowsIn, summary.RowsOut + summary.Removed);
    }

    [Fact]
    public async Task I_can_remove_exact_and_near_duplicates_and_name_the_row_kept()
    {
        // Arrange
        await IngestAsync((LongText + " today", "shipping"), (LongText + " today  ", "shipping"), (LongText + " yesterday", "shipping"), ("a different question entirely about invoices", "billing"));

        // Act
        var summary = _repo.Clean();

        // Assert
        var keptId = Kept()[0].RowId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal([(2L, RejectReasons.ExactDuplicate, keptId)], Removed().Where(r => r.Reason == RejectReasons.ExactDuplicate));
        Assert.Contains((3L, RejectReasons.NearDuplicate, keptId), Removed());
        Assert.Equal(2, summary.RowsOut);
    }

    [Fact]
    public async Task I_can_keep_near_duplicates_with_other_labels_grouped_with_their_representative()
    {
        // Arrange
        await IngestAsync((LongText + " today", "billing"), (LongText + " yesterday", "account"));

        // Act
        var summary = _repo.Clean();

        // Assert
        var kept = Kept();
        Assert.Equal(2, kept.Count);
        Assert.Equal(kept[0].RowId, kept[1].Group);
        Assert.Equal(1, summary.NearDuplicateClustersKept);
    }

    [Theory]
    [InlineData(LabelConflictPolicy.Majority, 1, "conflict_minority,exact_duplicate")]
    [InlineData(LabelConflictPolicy.Drop, 0, "conflicting_labels,conflicting_labels,conflicting_labels")]
    public async Task I_can_resolve_the_same_text_with_conflicting_labels(LabelConflictPolicy policy, int kept, string reasons)
    {
        // Arrange
        await IngestAsync(("where is my refund", "billing"), ("where is my refund", "shipping"), ("where  is my refund", "billing"));

        // Act
        var summary = _repo.Clean(new CleanOptions { Conflicts = policy, LowercaseLabels = true, NearDuplicates = new NearDuplicateOptions { Enabled = false } });

        // Assert
        Assert.Equal(kept, summary.RowsOut);
        Assert.Equal(reasons, string.Join(',', Removed().Select(r => r.Reason).Order(StringComparer.Ordinal)));
        Assert.Equal(1, summary.ConflictingTexts);
    }

    [Fact]
    public async Task I_can_get_an_error_naming_both_rows_if_conflicts_are_set_to_fail_and_no_output_is_left()
    {
        // Arrange
        await IngestAsync(("where is my refund", "billing"), ("where is my refund", "shipping"));

        // Act
        var error = Assert.Throws<LabelConflictException>(() => _repo.Clean(new CleanOptions { Conflicts = LabelConflictPolicy.Fail }));

        // Assert
        Assert.Contains("data/a.jsonl:1", error.Message, StringComparison.Ordinal);
        Assert.Contains("data/a.jsonl:2", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_repo.Artifacts, "clean")));
        Assert.DoesNotContain(Directory.GetDirectories(_repo.Artifacts), d => Path.GetFileName(d).StartsWith(".clean", StringComparison.Ordinal));
    }

    [Fact]
    public void I_can_mask_emails_urls_and_phone_numbers()
    {
        // Act
        var masked = PiiMasker.Mask("Mail jane.doe@example.com or call +44 20 7946 0958, see https://shop.example.com/orders?id=3 order 12345");

        // Assert
        Assert.Equal("Mail [EMAIL] or call [PHONE], see [URL] order 12345", masked);
    }

    [Fact]
    public async Task I_get_kept_lines_as_the_writer_writes_them_whether_or_not_cleaning_changed_the_row_and_no_scratch_file()
    {
        // Arrange: rows kept as they are, rows whose text or label cleaning changes, and a duplicate.
        await IngestAsync(
            ("a plain message about my order", "billing"),
            ("  spaced   out\ttext ", "billing"),
            ("another plain message", " Shipping "),
            ("caf\u00e9 \u00fcber na\u00efve", "billing"),
            ("a plain message about my order", "billing"));

        // Act
        _repo.Clean();

        // Assert
        var lines = _repo.ReadLines("clean/records.jsonl");
        Assert.Equal(4, lines.Count);
        foreach (var line in lines)
        {
            var record = Kept().Single(r => line.Contains($"\"line\":{r.Line},", StringComparison.Ordinal));
            using var buffer = new MemoryStream();
            using var writer = RecordJson.CreateWriter(buffer);
            RecordJson.Write(writer, buffer, record);
            Assert.Equal(line + "\n", System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
            Assert.NotEqual(0, record.RowId);
        }

        Assert.Equal(["records.jsonl", "removed.jsonl", "summary.json"], Directory.GetFiles(Path.Combine(_repo.Artifacts, "clean")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
