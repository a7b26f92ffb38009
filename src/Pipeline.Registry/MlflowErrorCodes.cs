namespace Pipeline.Registry;

/// <summary>MLflow <c>error_code</c> values the pipeline branches on, with their HTTP statuses.</summary>
public static class MlflowErrorCodes
{
    /// <summary>400.</summary>
    public const string InvalidParameterValue = "INVALID_PARAMETER_VALUE";

    /// <summary>400, not 409.</summary>
    public const string ResourceAlreadyExists = "RESOURCE_ALREADY_EXISTS";

    /// <summary>404.</summary>
    public const string ResourceDoesNotExist = "RESOURCE_DOES_NOT_EXIST";

    /// <summary>500.</summary>
    public const string InternalError = "INTERNAL_ERROR";

    /// <summary>503.</summary>
    public const string TemporarilyUnavailable = "TEMPORARILY_UNAVAILABLE";

    /// <summary>The HTTP status MLflow answers with for an error code.</summary>
    public static int HttpStatusOf(string errorCode) => errorCode switch
    {
        InvalidParameterValue or ResourceAlreadyExists or "BAD_REQUEST" => 400,
        ResourceDoesNotExist => 404,
        "PERMISSION_DENIED" => 403,
        "UNAUTHENTICATED" => 401,
        "REQUEST_LIMIT_EXCEEDED" or "RESOURCE_EXHAUSTED" => 429,
        TemporarilyUnavailable => 503,
        _ => 500,
    };
}
