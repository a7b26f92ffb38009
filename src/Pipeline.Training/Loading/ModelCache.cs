namespace Pipeline.Training.Loading;

/// <summary>Where imported models are kept between runs.</summary>
public static class ModelCache
{
    /// <summary>Environment variable that overrides the cache folder.</summary>
    public const string EnvironmentVariable = "PIPELINE_CACHE";

    /// <summary><c>$PIPELINE_CACHE</c> when set, otherwise <c>~/.cache/pipeline/models</c>.</summary>
    public static string Root
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable);
            return string.IsNullOrWhiteSpace(fromEnv)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "pipeline", "models")
                : fromEnv;
        }
    }
}
