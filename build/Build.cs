using Pipeline.Build;

/// <summary>
/// The pipeline's build: <c>./build.sh [targets] [--parameters]</c>. Split by concern:
/// parameters and paths here, .NET targets in Build.Dotnet.cs, pipeline stages in Build.Stages.cs.
/// </summary>
internal sealed partial class Build : NukeBuild
{
    /// <summary>Debug or Release, for Compile and Test.</summary>
    internal enum BuildConfiguration
    {
        Debug,
        Release,
    }

    [Parameter("Configuration to build")]
    internal BuildConfiguration Configuration { get; init; } = BuildConfiguration.Debug;

    [Parameter("Path to the pipeline config, relative to the repository root")]
    internal string Config { get; init; } = "pipeline.yaml";

    [Parameter("Rerun stages whose inputs did not change")]
    internal bool Force { get; init; }

    [Parameter("Fail Ingest on any rejected record instead of keeping it in the rejects file")]
    internal bool Strict { get; init; }

    [Parameter("Extra local folders to ingest (several values, or comma separated in the environment)")]
    internal string[] Source { get; init; } = [];

    [Parameter("Overrides train.epochs from the config")]
    internal int? Epochs { get; init; }

    [Parameter("Overrides train.technique from the config")]
    internal string? Technique { get; init; }

    [Parameter("Overrides train.device from the config (cpu, cuda)")]
    internal string? Device { get; init; }

    [Parameter("Compare the challenger with this model folder instead of the registry's champion (Evaluate)")]
    internal string? Baseline { get; init; }

    /// <summary>The MLflow tracking token, for the Register stage once it lands; never printed.</summary>
    [Parameter("Token for the MLflow tracking server")]
    [Secret]
    internal string? MlflowTrackingToken { get; init; }

    private AbsolutePath Solution => RootDirectory / "Pipeline.sln";

    private AbsolutePath ArtifactsDirectory => RootDirectory / "artifacts";

    private AbsolutePath TestResultsDirectory => ArtifactsDirectory / "test-results";

    /// <summary>Plain <c>./build.sh</c> runs the whole pipeline.</summary>
    public static int Main() => Execute<Build>(x => x.Register);

    /// <summary>Pipeline errors and failed tools are described by their message; anything else shows its stack trace.</summary>
    protected override bool IsExpectedFailure(Exception exception) =>
        exception is Pipeline.Errors.PipelineException || base.IsExpectedFailure(exception);
}
