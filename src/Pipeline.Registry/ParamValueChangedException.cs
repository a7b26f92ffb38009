namespace Pipeline.Registry;

/// <summary>
/// A param was logged again with a different value. MLflow params are immutable: log the new
/// value under a new run (or a new key) instead.
/// </summary>
public sealed class ParamValueChangedException : MlflowApiException
{
    public ParamValueChangedException()
    {
        RunId = "";
        Key = "";
        OldValue = "";
        NewValue = "";
    }

    public ParamValueChangedException(string message)
        : base(message)
    {
        RunId = "";
        Key = "";
        OldValue = "";
        NewValue = "";
    }

    public ParamValueChangedException(string message, Exception innerException)
        : base(message, innerException)
    {
        RunId = "";
        Key = "";
        OldValue = "";
        NewValue = "";
    }

    public ParamValueChangedException(string endpoint, string runId, string key, string oldValue, string newValue)
        : base(
            endpoint,
            400,
            MlflowErrorCodes.InvalidParameterValue,
            $"Param '{key}' of run {runId} is already logged with value '{oldValue}' and cannot be changed to '{newValue}'. "
            + "MLflow params are immutable: start a new run, or log the new value under another key.")
    {
        RunId = runId;
        Key = key;
        OldValue = oldValue;
        NewValue = newValue;
    }

    /// <summary>The run whose param was being changed.</summary>
    public string RunId { get; }

    /// <summary>The param key.</summary>
    public string Key { get; }

    /// <summary>The value already logged.</summary>
    public string OldValue { get; }

    /// <summary>The value that was refused.</summary>
    public string NewValue { get; }
}
