using System.Text.Json;
using Pipeline.Configuration;
using Pipeline.Data.Formatting;
using Pipeline.Data.IO;
using Pipeline.Data.Sources;

namespace Pipeline.Data.Tests;

public sealed class FormatSpecs : IDisposable
{
    private static readonly string[] Labels = ["billing", "shipping", "account"];
    private readonly TempRepo _repo = new();

    public void Dispose() => _repo.Dispose();

    private static string Row(int i) =>
        JsonSerializer.Serialize(new { id = $"t{i}", text = $"ticket {i} about {Labels[i % 3]} number {i * 7919 % 1000}", label = Labels[i % 3] });

    private async Task<Dictionary<long, (string Split, int[] Tokens, int Label)>> RunAsync(int rows)
    {
        _repo.Write("data/a.jsonl", string.Join('\n', Enumerable.Range(0, rows).Select(Row)) + "\n");
        await _repo.IngestAsync(new SourceSpec { Path = "data/a.jsonl", IdField = "id" });
        _repo.Clean();
        _repo.Format();
        return ReadShards();
    }

    private Dictionary<long, (string Split, int[] Tokens, int Label)> ReadShards()
    {
        var result = new Dictionary<long, (string, int[], int)>();
        foreach (var split in Enum.GetValues<Split>())
        {
            using var shard = new ShardReader(Path.Combine(_repo.Artifacts, "format", ShardFormat.FileName(split)));
            for (var i = 0; i < shard.Count; i++)
            {
                result.Add(shard.GetRowId(i), (split.ToString(), shard.GetTokens(i), shard.GetLabel(i)));
            }
        }

        return result;
    }

    [Fact]
    public async Task I_can_append_20_percent_new_rows_and_no_existing_row_changes_split()
    {
        // Arrange
        var before = await RunAsync(500);

        // Act
        var after = await RunAsync(600);

        // Assert
        Assert.Equal(500, before.Count);
        Assert.Equal(600, after.Count);
        foreach (var (rowId, row) in before)
        {
            Assert.Equal(row.Split, after[rowId].Split);
            Assert.Equal(row.Tokens, after[rowId].Tokens);
        }

        var testBefore = before.Where(p => p.Value.Split == "Test").Select(p => p.Key).Order().ToList();
        var testAfterOld = after.Where(p => p.Value.Split == "Test" && before.ContainsKey(p.Key)).Select(p => p.Key).Order().ToList();
        Assert.Equal(testBefore, testAfterOld);
        Assert.InRange(testBefore.Count, 60, 140);
    }

    [Fact]
    public async Task I_can_read_shards_with_labels_from_the_label_map_and_a_manifest()
    {
        // Act
        var rows = await RunAsync(30);

        // Assert
        var map = Formatter.ReadLabels(Path.Combine(_repo.Artifacts, "format"));
        Assert.Equal(["account", "billing", "shipping"], map.Tasks["label"]);
        Assert.All(rows.Values, r => Assert.Equal(101, r.Tokens[0]));
        Assert.All(rows.Values, r => Assert.Equal(102, r.Tokens[^1]));
        Assert.Equal(10, rows.Values.Count(r => r.Label == map.IdOf("label", "billing")));
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(_repo.Artifacts, "format", Formatter.ManifestFile)));
        Assert.Equal(128, manifest.RootElement.GetProperty("max_length").GetInt32());
    }

    [Fact]
    public async Task I_can_keep_each_near_duplicate_pair_with_different_labels_in_one_split()
    {
        // Arrange
        var random = new Random(7);
        var lines = new List<string>();
        for (var pair = 0; pair < 40; pair++)
        {
            var text = string.Join(' ', Enumerable.Range(0, 30).Select(_ => $"w{random.Next(500)}"));
            lines.Add(JsonSerializer.Serialize(new { id = $"p{pair}a", text = text + " first", label = "shipping" }));
            lines.Add(JsonSerializer.Serialize(new { id = $"p{pair}b", text = text + " second", label = "complaint" }));
        }

        _repo.Write("data/a.jsonl", string.Join('\n', lines) + "\n");
        await _repo.IngestAsync(new SourceSpec { Path = "data/a.jsonl", IdField = "id" });
        var clean = _repo.Clean();

        // Act
        var summary = _repo.Format(new SplitOptions { Salt = "leak", Validation = 0.25, Test = 0.25 });

        // Assert
        var pairOf = RecordJson.ReadRecords(Path.Combine(_repo.Artifacts, "clean", "records.jsonl")).ToDictionary(r => r.RowId, r => r.Id![..^1]);
        var rows = ReadShards();
        Assert.Equal(80, rows.Count);
        Assert.Equal(40, clean.NearDuplicateClustersKept);
        Assert.All(rows.GroupBy(r => pairOf[r.Key]), pair => Assert.Single(pair.Select(r => r.Value.Split).Distinct()));
        Assert.Equal(3, rows.Values.Select(r => r.Split).Distinct().Count());
        Assert.True(summary.LeakagePrevented > 0);
    }

    [Fact]
    public async Task I_can_see_in_the_summary_how_many_removed_duplicates_would_have_leaked_into_another_split()
    {
        // Arrange
        var random = new Random(11);
        var lines = new List<string>();
        for (var pair = 0; pair < 40; pair++)
        {
            var text = string.Join(' ', Enumerable.Range(0, 40).Select(_ => $"w{random.Next(500)}"));
            lines.Add(JsonSerializer.Serialize(new { id = $"p{pair}a", text, label = "shipping" }));
            lines.Add(JsonSerializer.Serialize(new { id = $"p{pair}b", text = text + " again", label = "shipping" }));
        }

        _repo.Write("data/a.jsonl", string.Join('\n', lines) + "\n");
        await _repo.IngestAsync(new SourceSpec { Path = "data/a.jsonl", IdField = "id" });
        var clean = _repo.Clean();

        // Act
        var summary = _repo.Format(new SplitOptions { Salt = "leak", Validation = 0.25, Test = 0.25 });

        // Assert
        Assert.Equal(40, clean.RemovedByReason["near_duplicate"]);
        Assert.InRange(summary.LeakageRemoved, 10, 39);
    }
}
