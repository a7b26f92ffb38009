using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Pipeline.Configuration;
using Pipeline.Data.Tokenization;

namespace Pipeline.Benchmarks.Data;

/// <summary>
/// <c>./build.sh Benchmark --suite data</c>: our Ingest + Clean + Format against DuckDB and
/// Hugging Face's tokenizers on the same synthetic input. Each side runs in its own process
/// so its peak memory is its own.
/// </summary>
internal static class DataSuite
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string work, int rows)
    {
        var jsonl = Path.Combine(work, $"tickets-{rows}.jsonl");
        var csv = Path.Combine(work, $"tickets-{rows}.csv");
        if (!File.Exists(jsonl) || !File.Exists(csv))
        {
            Console.WriteLine($"generating {rows:N0} synthetic tickets ...");
            SyntheticTickets.Write(jsonl, csv, rows);
        }

        Console.WriteLine($"input: {rows:N0} rows, JSONL {new FileInfo(jsonl).Length / 1e6:F0} MB, CSV {new FileInfo(csv).Length / 1e6:F0} MB; one thread each side");
        var ours = await RunPartAsync("ours-jsonl", work, rows);
        var oursCsv = await RunPartAsync("ours-csv", work, rows);
        var duck = await RunPartAsync("duckdb", work, rows);
        var tok = await RunPartAsync("tokenizers", work, rows);

        double Seconds(JsonElement e, string name) => e.GetProperty(name).GetDouble();
        var oursIngestClean = Seconds(ours, "ingest") + Seconds(ours, "clean");
        var duckSeconds = Seconds(duck, "seconds");
        var formatRate = ours.GetProperty("rowsOut").GetInt64() / Seconds(ours, "format");
        Console.WriteLine();
        Console.WriteLine("| side | work | rows/s | peak MB |");
        Console.WriteLine("|---|---|---:|---:|");
        Console.WriteLine($"| ours (JSONL) | Ingest + Clean: parse, NFKC, length bounds, labels, exact + near-duplicates, rejects | {rows / oursIngestClean:N0} | {ours.GetProperty("peakMb").GetDouble():N0} |");
        Console.WriteLine($"| ours (CSV) | the same from CSV | {rows / (Seconds(oursCsv, "ingest") + Seconds(oursCsv, "clean")):N0} | {oursCsv.GetProperty("peakMb").GetDouble():N0} |");
        Console.WriteLine($"| DuckDB | read JSONL, lower/trim, length filter, exact dedupe, write Parquet | {rows / duckSeconds:N0} | {duck.GetProperty("peakMb").GetDouble():N0} |");
        Console.WriteLine($"| ours | Format: split + tokenise + write shards | {formatRate:N0} | (above) |");
        Console.WriteLine($"| ours | whole data path (Ingest + Clean + Format) | {rows / (oursIngestClean + Seconds(ours, "format")):N0} | {ours.GetProperty("peakMb").GetDouble():N0} |");
        Console.WriteLine($"| FastBertTokenizer (ours) | tokenise only | {tok.GetProperty("oursTextsPerSecond").GetDouble():N0} texts/s | |");
        Console.WriteLine($"| HF tokenizers (Rust, via Tokenizers.DotNet) | tokenise only | {tok.GetProperty("hfTextsPerSecond").GetDouble():N0} texts/s | |");
        Console.WriteLine();
        Console.WriteLine($"ratio Ingest+Clean ours/DuckDB: {duckSeconds / oursIngestClean:F2}x (goal >= 1.3x)");
        Console.WriteLine($"Format: {formatRate:N0} texts/s (goal >= 250,000)");
        Console.WriteLine($"peak memory, whole data path: {ours.GetProperty("peakMb").GetDouble():N0} MB (goal < 1,500 MB)");
        var oursCpu = Seconds(ours, "ingestCpu") + Seconds(ours, "cleanCpu");
        var duckCpu = Seconds(duck, "cpu");
        Console.WriteLine($"CPU time (less disturbed by other load than wall time): ours Ingest+Clean {oursCpu:F2} s ({rows / oursCpu:N0} rows/s), DuckDB {duckCpu:F2} s ({rows / duckCpu:N0} rows/s), ratio {duckCpu / oursCpu:F2}x; Format {Seconds(ours, "formatCpu"):F2} s ({ours.GetProperty("rowsOut").GetInt64() / Seconds(ours, "formatCpu"):N0} texts/s)");
        Console.WriteLine($"token ids identical to HF tokenizers: {tok.GetProperty("identical").GetInt32()}/{tok.GetProperty("compared").GetInt32()} texts (with accents, NFD forms and {tok.GetProperty("truncated").GetInt32()} truncated)");
        return 0;
    }

    /// <summary>One side of the comparison, run in this process and printed as one JSON line.</summary>
    public static async Task<int> RunPartInProcessAsync(string part, string work, int rows)
    {
        var jsonl = Path.Combine(work, $"tickets-{rows}.jsonl");
        var vocabulary = VocabularyResolver.Resolve("minilm", work, Path.Combine(work, "cache")).Path;
        var result = new Dictionary<string, object>();
        switch (part)
        {
            case "ours-jsonl" or "ours-csv":
                var csv = part == "ours-csv";
                var output = Path.Combine(work, part);
                var ours = await OursDataPath.RunAsync(work, Path.GetFileName(csv ? Path.ChangeExtension(jsonl, ".csv") : jsonl),
                    csv ? DataFormat.Csv : DataFormat.Jsonl, vocabulary, output);
                result["rowsIn"] = ours.RowsIn;
                result["rowsOut"] = ours.RowsOut;
                result["ingest"] = ours.Ingest.TotalSeconds;
                result["clean"] = ours.Clean.TotalSeconds;
                result["format"] = ours.Format.TotalSeconds;
                result["ingestCpu"] = ours.IngestCpu.TotalSeconds;
                result["cleanCpu"] = ours.CleanCpu.TotalSeconds;
                result["formatCpu"] = ours.FormatCpu.TotalSeconds;
                break;
            case "duckdb":
                var duck = DuckDbPeer.Run(jsonl, Path.Combine(work, "duckdb.parquet"));
                result["rowsOut"] = duck.Rows;
                result["seconds"] = duck.Elapsed.TotalSeconds;
                result["cpu"] = duck.Cpu.TotalSeconds;
                break;
            case "tokenizers":
                Compare(jsonl, vocabulary, work, result);
                break;
            default:
                throw new ArgumentException($"unknown part '{part}'", nameof(part));
        }

        result["peakMb"] = PeakMemory.Bytes() / 1e6;
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(result));
        return 0;
    }

    private static void Compare(string jsonl, string vocabulary, string work, Dictionary<string, object> result)
    {
        const int MaxLength = 128;
        var texts = File.ReadLines(jsonl).Take(200_000)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("text").GetString()!)
            .ToList();

        // The comparison sample: 1,000 texts with accents, NFD forms and rows long enough to truncate.
        var sample = texts.Where(t => t.Any(c => c > 127)).Take(400)
            .Concat(texts.Take(400).Select(t => t.Normalize(NormalizationForm.FormD)))
            .Concat(Enumerable.Range(0, 200).Select(i => string.Join(' ', Enumerable.Repeat(texts[i], 12))))
            .ToList();
        using var hf = new HfTokenizerPeer(vocabulary, work, MaxLength);
        var ours = new WordPieceTokenizer(vocabulary, lowercase: true);
        int identical = 0, truncated = 0;
        foreach (var text in sample)
        {
            var mine = ours.Encode(text, MaxLength, TruncationSide.Tail, out var cut);
            truncated += cut ? 1 : 0;
            var theirs = hf.Encode(text);
            identical += mine.AsSpan().SequenceEqual(theirs.Select(id => (int)id).ToArray()) ? 1 : 0;
        }

        result["compared"] = sample.Count;
        result["identical"] = identical;
        result["truncated"] = truncated;

        var watch = Stopwatch.StartNew();
        foreach (var text in texts)
        {
            ours.Encode(text, MaxLength, TruncationSide.Tail, out _);
        }

        result["oursTextsPerSecond"] = texts.Count / watch.Elapsed.TotalSeconds;
        result["hfTextsPerSecond"] = hf.Measure(texts.Take(20_000).ToList()).TextsPerSecond;
    }

    private static async Task<JsonElement> RunPartAsync(string part, string work, int rows)
    {
        var self = Environment.ProcessPath!;
        var dll = typeof(DataSuite).Assembly.Location;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (!self.EndsWith(".dll", StringComparison.Ordinal) && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(dll);
        }

        foreach (var arg in new[] { "--suite", "data", "--part", part, "--out", work, "--rows", rows.ToString(Invariant) })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_gcServer"] = "0";
        using var process = Process.Start(start)!;
        string? resultLine = null;
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("RESULT ", StringComparison.Ordinal))
            {
                resultLine = line["RESULT ".Length..];
            }
            else
            {
                Console.WriteLine("  " + line);
            }
        }

        await process.WaitForExitAsync();
        if (process.ExitCode != 0 || resultLine is null)
        {
            throw new InvalidOperationException($"benchmark part '{part}' failed with exit code {process.ExitCode}");
        }

        Console.WriteLine($"  {part}: {resultLine}");
        return JsonDocument.Parse(resultLine).RootElement.Clone();
    }
}
