namespace Pipeline.Evaluation.Gating;

/// <summary>The gate's overall verdict.</summary>
public enum GateVerdict
{
    /// <summary>Every rule passed: the model becomes champion.</summary>
    Pass,

    /// <summary>No rule failed, but a required improvement was not significant: the model is registered as challenger only.</summary>
    PassAsChallenger,

    /// <summary>A rule failed: nothing is registered and the stage exits non-zero.</summary>
    Fail,
}
