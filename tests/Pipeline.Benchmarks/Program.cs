using Pipeline.Benchmarks;
using Pipeline.Benchmarks.Data;

var suite = Arg("--suite") ?? "data";
var rows = int.Parse(Arg("--rows") ?? "1000000", System.Globalization.CultureInfo.InvariantCulture);
var work = Path.GetFullPath(Arg("--out") ?? Path.Combine("artifacts", "benchmarks"));
Directory.CreateDirectory(work);
var jsonl = Path.Combine(work, $"tickets-{rows}.jsonl");
var csv = Path.Combine(work, $"tickets-{rows}.csv");
if (!File.Exists(jsonl))
{
    SyntheticTickets.Write(jsonl, csv, rows);
}

var duck = DuckDbPeer.Run(jsonl, Path.Combine(work, "duckdb.parquet"));
Console.WriteLine($"duckdb: {duck.Rows} rows out in {duck.Elapsed.TotalSeconds:F2}s = {rows / duck.Elapsed.TotalSeconds:F0} rows/s, peak {PeakMemory.Bytes() / 1e6:F0} MB");
var vocab = Arg("--vocab");
if (vocab is not null)
{
    using var hf = new HfTokenizerPeer(vocab, work, 128);
    var texts = File.ReadLines(jsonl).Take(20000).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()!).ToList();
    var m = hf.Measure(texts);
    Console.WriteLine($"hf tokenizers: {m.TextsPerSecond:F0} texts/s, {m.Tokens} tokens; {string.Join(",", hf.Encode("Hello world, café!"))}");
}

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
_ = suite;
