using System.Globalization;
using Pipeline.Build;
using Pipeline.Configuration;

/// <content>Serve: the model service (pipeline/Pipeline.Serve, the container's program) on this machine.</content>
internal sealed partial class Build
{
    [Parameter("Serve: the model to serve, models:/NAME@ALIAS, models:/NAME/VERSION or a model folder (default models:/<register.model_name>@champion)")]
    internal string? Model { get; init; }

    [Parameter("Serve: addresses to listen on, ';'-separated")]
    internal string Urls { get; init; } = "http://127.0.0.1:8080";

    [Parameter("Serve: seconds between polls of the model's alias for a new champion (0 turns polling off; default: the service's)")]
    internal int? ServePollSeconds { get; init; }

    internal Target Serve => _ => _
        .Description("Serves the champion (or --model) on --urls until Ctrl+C: /v1/predict, /invocations, /metrics")
        .Executes(() =>
        {
            var config = PipelineConfig.Load(Settings.ResolvedConfigPath, overrides: Settings.Overrides);

            // The service reads the registry like the stages do: MLFLOW_TRACKING_URI, else register.tracking_uri, else ./mlruns.
            if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("MLFLOW_TRACKING_URI"))
                && !string.IsNullOrWhiteSpace(config.Register.TrackingUri))
            {
                Environment.SetEnvironmentVariable("MLFLOW_TRACKING_URI", config.Register.TrackingUri);
            }

            var model = Model is { Length: > 0 } given
                ? (given.StartsWith("models:/", StringComparison.Ordinal) ? given : Path.GetFullPath(given, RootDirectory))
                : $"models:/{config.Register.ModelName}@champion";
            List<string> arguments =
            [
                "run", "-c", "Release", "--project", RootDirectory / "pipeline" / "Pipeline.Serve", "--",
                "--model", model, "--urls", Urls,
            ];
            if (ServePollSeconds is { } seconds)
            {
                arguments.AddRange(["--poll-seconds", seconds.ToString(CultureInfo.InvariantCulture)]);
            }

            return DotNetTasks.DotNetAsync(arguments, RootDirectory, cancellationToken: Cancellation);
        });
}
