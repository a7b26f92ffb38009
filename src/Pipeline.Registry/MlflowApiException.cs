using System.Globalization;
using Pipeline.Errors;

namespace Pipeline.Registry;

/// <summary>
/// MLflow refused a call (or could not be reached). Carries the endpoint (path only, never the
/// host's credentials), the HTTP status (0 when no response came back), MLflow's
/// <c>error_code</c> and its message. Branch on <see cref="ErrorCode"/>, not on the message.
/// </summary>
public class MlflowApiException : PipelineException
{
    public MlflowApiException()
    {
        Endpoint = "";
        ErrorCode = "";
        ServerMessage = "";
    }

    public MlflowApiException(string message)
        : base(message)
    {
        Endpoint = "";
        ErrorCode = "";
        ServerMessage = message;
    }

    public MlflowApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Endpoint = "";
        ErrorCode = "";
        ServerMessage = message;
    }

    public MlflowApiException(string endpoint, int statusCode, string errorCode, string serverMessage, Exception? innerException = null)
        : base(Describe(endpoint, statusCode, errorCode, serverMessage), innerException!)
    {
        Endpoint = endpoint;
        StatusCode = statusCode;
        ErrorCode = errorCode;
        ServerMessage = serverMessage;
    }

    /// <summary>The call, e.g. <c>POST /api/2.0/mlflow/runs/log-batch</c>.</summary>
    public string Endpoint { get; }

    /// <summary>HTTP status; 0 when the server could not be reached or the connection dropped.</summary>
    public int StatusCode { get; }

    /// <summary>MLflow's <c>error_code</c> (e.g. <c>RESOURCE_ALREADY_EXISTS</c>); empty when the body was not MLflow JSON.</summary>
    public string ErrorCode { get; }

    /// <summary>MLflow's message, or the start of a non-JSON body.</summary>
    public string ServerMessage { get; }

    /// <summary>True for failures worth retrying: no response, 408, 429 and 5xx.</summary>
    public bool IsTransient => StatusCode is 0 or 408 or 429 or >= 500;

    private static string Describe(string endpoint, int statusCode, string errorCode, string serverMessage)
    {
        var status = statusCode == 0 ? "no response" : "HTTP " + statusCode.ToString(CultureInfo.InvariantCulture);
        var code = errorCode.Length == 0 ? "" : " " + errorCode;
        return $"MLflow call {endpoint} failed ({status}{code}): {serverMessage}";
    }
}
