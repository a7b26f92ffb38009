using Pipeline.Errors;

namespace Pipeline.Evaluation.Gating;

/// <summary>The gate failed; the message names each failing rule and its numbers, <see cref="Result"/> has them all.</summary>
public sealed class GateFailedException : PipelineException
{
    public GateFailedException()
    {
        Result = new GateResult(GateVerdict.Fail, []);
    }

    public GateFailedException(string message)
        : base(message)
    {
        Result = new GateResult(GateVerdict.Fail, []);
    }

    public GateFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Result = new GateResult(GateVerdict.Fail, []);
    }

    public GateFailedException(GateResult result)
        : base(result?.FailureMessage ?? "Gate failed.")
    {
        ArgumentNullException.ThrowIfNull(result);
        Result = result;
    }

    /// <summary>The verdict and every rule's check.</summary>
    public GateResult Result { get; }
}
