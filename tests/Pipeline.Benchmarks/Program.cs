using System.Globalization;
using Pipeline.Benchmarks.Data;
using Pipeline.Benchmarks.Image;
using Pipeline.Benchmarks.Serve;
using Pipeline.Benchmarks.Train;

// ./build.sh Benchmark --suite data [--rows N]; run directly: dotnet run -c Release --project tests/Pipeline.Benchmarks -- --suite data
var suite = Arg("--suite") ?? "data";
var rows = int.Parse(Arg("--rows") ?? "1000000", CultureInfo.InvariantCulture);
var work = Path.GetFullPath(Arg("--out") ?? Path.Combine("artifacts", "benchmarks", suite));
Directory.CreateDirectory(work);

return (suite, Arg("--part")) switch
{
    ("data", null) => await DataSuite.RunAsync(work, rows),
    ("data", { } part) => await DataSuite.RunPartInProcessAsync(part, work, rows),
    ("train", _) => TrainSuite.Run(int.Parse(Arg("--steps") ?? "5", CultureInfo.InvariantCulture), int.Parse(Arg("--threads") ?? "0", CultureInfo.InvariantCulture), double.Parse(Arg("--lora-dropout") ?? "0.05", CultureInfo.InvariantCulture)),
    ("image", _) => ImageSuite.Run(
        work,
        int.Parse(Arg("--steps") ?? "3", CultureInfo.InvariantCulture),
        int.Parse(Arg("--train-images") ?? "5000", CultureInfo.InvariantCulture),
        int.Parse(Arg("--image-size") ?? "64", CultureInfo.InvariantCulture),
        int.Parse(Arg("--epochs") ?? "2", CultureInfo.InvariantCulture)),
    ("serve", _) => await ServeSuite.RunAsync(work, int.Parse(Arg("--requests") ?? "300", CultureInfo.InvariantCulture)),
    _ => Fail($"unknown suite '{suite}'. Suites: data, train, image, serve"),
};

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static int Fail(string message)
{
    Console.Error.WriteLine(message);
    return 2;
}
