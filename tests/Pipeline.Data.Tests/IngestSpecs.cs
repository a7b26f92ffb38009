using System.Text.Json;
using Parquet;
using Parquet.Schema;
using Pipeline.Data.Ingest;
using Pipeline.Data.IO;
using Pipeline.Data.Model;
using Pipeline.Data.Sources;

namespace Pipeline.Data.Tests;

public sealed class IngestSpecs : IDisposable
{
    private readonly TempRepo _repo = new();

    public void Dispose() => _repo.Dispose();

    private List<DataRecord> Records() => [.. RecordJson.ReadRecords(Path.Combine(_repo.Artifacts, "ingest", Ingestor.RecordsFile))];

    private List<JsonElement> Rejects() => [.. _repo.ReadLines("ingest/rejects.jsonl").Select(l => JsonDocument.Parse(l).RootElement)];

    [Fact]
    public async Task I_can_ingest_jsonl_and_get_a_reject_with_line_and_field_for_each_bad_line()
    {
        // Arrange
        var bytes = new List<byte>();
        bytes.AddRange("{\"id\":\"a\",\"text\":\"where is my parcel\",\"intent\":\"shipping\"}\n"u8.ToArray());
        bytes.AddRange("\n"u8.ToArray());
        bytes.AddRange("{\"id\":\"b\",\"text\":\"refund please\",\"intent\":\"billing\"\n"u8.ToArray());
        bytes.AddRange("{\"id\":\"c\",\"text\":\"caf"u8.ToArray());
        bytes.AddRange([0xC3, 0x28]);
        bytes.AddRange("\",\"intent\":\"billing\"}\n"u8.ToArray());
        bytes.AddRange("{\"id\":\"d\",\"intent\":\"billing\"}\n"u8.ToArray());
        bytes.AddRange("{\"id\":\"e\",\"text\":[\"x\"],\"intent\":\"billing\"}\r\n"u8.ToArray());
        bytes.AddRange("{\"id\":7,\"text\":\"  \",\"intent\":\"billing\"}\n"u8.ToArray());
        _repo.Write("data/a.jsonl", [.. bytes]);

        // Act
        var summary = await _repo.IngestAsync(new SourceSpec { Path = "data/*.jsonl", LabelFields = ["intent"], IdField = "id" });

        // Assert
        var record = Assert.Single(Records());
        Assert.Equal(("a", "where is my parcel", "shipping", "data/a.jsonl", 1L), (record.Id, record.Text, record.Labels[0], record.Source, record.Line));
        var rejects = Rejects();
        Assert.Equal(
            [(3, RejectReasons.InvalidJson, null), (4, RejectReasons.InvalidUtf8, null), (5, RejectReasons.MissingField, "text"), (6, RejectReasons.NotAString, "text"), (7, RejectReasons.EmptyText, "text")],
            rejects.Select(r => (r.GetProperty("line").GetInt32(), r.GetProperty("reason").GetString(), r.GetProperty("field").GetString())).ToList());
        Assert.Equal(6, summary.RowsIn);
        Assert.Equal(summary.RowsIn, summary.Accepted + summary.Rejected);
    }

    [Fact]
    public async Task I_can_ingest_csv_with_a_bom_quotes_and_embedded_newlines_and_get_a_reject_for_broken_quoting()
    {
        // Arrange
        _repo.Write("data/a.csv", "\uFEFFtext,label\n\"hello, \"\"world\"\"\",greet\n\"two\nlines\",multi\nplain,x,extra\n\"never closed,oops\n");

        // Act
        var summary = await _repo.IngestAsync(new SourceSpec { Path = "data/a.csv" });

        // Assert
        var records = Records();
        Assert.Equal(["hello, \"world\"", "two\nlines"], records.Select(r => r.Text));
        Assert.Equal([2L, 3L], records.Select(r => r.Line));
        var rejects = Rejects();
        Assert.Equal([(5, RejectReasons.ColumnCount), (6, RejectReasons.BrokenQuoting)], rejects.Select(r => (r.GetProperty("line").GetInt32(), r.GetProperty("reason").GetString())));
        Assert.Equal(4, summary.RowsIn);
    }

    [Fact]
    public async Task I_can_ingest_tsv_with_several_text_fields_and_multitask_labels()
    {
        // Arrange
        _repo.Write("data/a.tsv", "subject\tbody\tintent\tpriority\nLate\tmy order is late\tshipping\thigh\n");

        // Act
        var summary = await _repo.IngestAsync(new SourceSpec { Path = "data/*.tsv", TextFields = ["subject", "body"], LabelFields = ["intent", "priority"] });

        // Assert
        var record = Assert.Single(Records());
        Assert.Equal("Late\nmy order is late", record.Text);
        Assert.Equal(["shipping", "high"], record.Labels);
        Assert.Equal(["intent", "priority"], summary.Tasks);
    }

    [Fact]
    public async Task I_can_ingest_parquet_with_integer_ids_and_get_a_reject_for_a_null_text()
    {
        // Arrange
        var id = new DataField<long>("id");
        var text = new DataField<string>("text");
        var label = new DataField<string>("label");
        var path = Path.Combine(_repo.Root, "data", "a.parquet");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var stream = File.Create(path))
        {
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, text, label), stream);
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(id, new ReadOnlyMemory<long>([10L, 11L]));
            await group.WriteAsync(text, (string?[])["cancel my plan", null]);
            await group.WriteAsync(label, (string?[])["account", "account"]);
        }

        // Act
        await _repo.IngestAsync(new SourceSpec { Path = "data/*.parquet", IdField = "id" });

        // Assert
        var record = Assert.Single(Records());
        Assert.Equal(("10", "cancel my plan", "account"), (record.Id, record.Text, record.Labels[0]));
        Assert.Equal(RejectReasons.MissingField, Assert.Single(Rejects()).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task I_can_ingest_a_folder_per_label_and_get_a_reject_for_an_empty_file()
    {
        // Arrange
        _repo.Write("data/labeled/billing/1.txt", "I was charged twice");
        _repo.Write("data/labeled/shipping/2.txt", "Where is my parcel?");
        _repo.Write("data/labeled/shipping/3.txt", "");

        // Act
        var summary = await _repo.IngestAsync(new SourceSpec { Path = "data/labeled", Format = SourceFormat.Folder });

        // Assert
        Assert.Equal([("billing", "billing/1.txt"), ("shipping", "shipping/2.txt")], Records().Select(r => (r.Labels[0], r.Id)));
        var reject = Assert.Single(Rejects());
        Assert.Equal((RejectReasons.EmptyFile, "data/labeled/shipping/3.txt"), (reject.GetProperty("reason").GetString(), reject.GetProperty("source").GetString()));
        Assert.Equal(3, summary.RowsIn);
    }

    [Fact]
    public async Task I_can_get_an_error_if_strict_mode_meets_a_reject_and_no_output_is_left()
    {
        // Arrange
        _repo.Write("data/a.jsonl", "{\"text\":\"ok text\",\"label\":\"x\"}\n{\"text\":\"broken\n");

        // Act
        var error = await Assert.ThrowsAsync<RejectedRecordsException>(() => Ingestor.RunAsync(new IngestOptions
        {
            RepositoryRoot = _repo.Root,
            Sources = [new SourceSpec { Path = "data/a.jsonl" }],
            OutputDirectory = Path.Combine(_repo.Artifacts, "ingest"),
            Strict = true,
        }));

        // Assert
        Assert.Contains("data/a.jsonl:2", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_repo.Artifacts, "ingest")));
        Assert.Empty(Directory.GetFileSystemEntries(_repo.Artifacts));
    }

    [Fact]
    public async Task I_can_get_a_reject_for_an_empty_jsonl_file_and_an_error_if_no_file_matches()
    {
        // Arrange
        _repo.Write("data/empty.jsonl", "");

        // Act
        var summary = await _repo.IngestAsync(new SourceSpec { Path = "data/*.jsonl" });
        var error = await Assert.ThrowsAsync<DataException>(() => _repo.IngestAsync(new SourceSpec { Path = "nothing/*.jsonl" }));

        // Assert
        Assert.Equal(1, summary.RejectsByReason[RejectReasons.EmptyFile]);
        Assert.Contains("nothing/*.jsonl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task I_can_get_a_reject_for_invalid_utf8_in_csv_and_for_an_unknown_file_in_a_label_folder()
    {
        // Arrange
        _repo.Write("data/a.csv", [.. "text,label\nok row,x\nbad "u8.ToArray(), 0xFF, .. ",x\n"u8.ToArray()]);
        _repo.Write("data/labeled/x/1.eml", "Subject: hello\n\nbody text\n");
        _repo.Write("data/labeled/x/2.pdf", "%PDF");

        // Act
        var csv = await _repo.IngestAsync(new SourceSpec { Path = "data/a.csv" });
        var folder = await _repo.IngestAsync(new SourceSpec { Path = "data/labeled", Format = SourceFormat.Folder });

        // Assert
        Assert.Equal(1, csv.RejectsByReason[RejectReasons.InvalidUtf8]);
        Assert.Equal(1, folder.RejectsByReason[RejectReasons.UnknownFormat]);
        Assert.Equal("hello\nbody text", Assert.Single(Records()).Text);
    }

    [Fact]
    public async Task I_can_ingest_with_a_recursive_glob_twice_without_reading_my_own_outputs_or_hidden_folders()
    {
        // Arrange
        _repo.Write("data/x/a.jsonl", "{\"text\":\"first text\",\"label\":\"x\"}\n");
        _repo.Write(".git/objects/b.jsonl", "{\"text\":\"hidden text\",\"label\":\"x\"}\n");
        var spec = new SourceSpec { Path = "**/*.jsonl" };
        await _repo.IngestAsync(spec);

        // Act
        var summary = await _repo.IngestAsync(spec);

        // Assert
        Assert.Equal(["data/x/a.jsonl"], summary.Files);
        Assert.Equal(1, summary.Accepted);
    }
}
