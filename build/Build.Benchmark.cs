using System.Globalization;
using Pipeline.Build;

/// <content>Benchmarks: a separate target, never part of Test; each prints its figures and the goals.</content>
internal sealed partial class Build
{
    [Parameter("Benchmark suite: data (Ingest/Clean/Format vs DuckDB and HF tokenizers), train (MiniLM-shaped steps vs matmul peak), serve (the service vs bare ONNX Runtime) or image (ResNet steps at 224 and Fashion-MNIST accuracy)")]
    internal string Suite { get; init; } = "data";

    [Parameter("Rows of synthetic input for the data benchmark")]
    internal int Rows { get; init; } = 1_000_000;

    internal Target Benchmark => _ => _
        .Description("Runs a benchmark suite in Release (--suite data|train|serve|image) and prints its figures")
        .Executes(() => DotNetTasks.DotNetAsync(
            ["run", "-c", "Release", "--project", RootDirectory / "tests" / "Pipeline.Benchmarks", "--",
             "--suite", Suite, "--rows", Rows.ToString(CultureInfo.InvariantCulture), "--out", ArtifactsDirectory / "benchmarks" / Suite],
            RootDirectory,
            cancellationToken: Cancellation));
}
