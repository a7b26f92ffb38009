namespace Pipeline.Evaluation.Gating;

/// <summary>The outcome of one rule on one task.</summary>
public enum RuleOutcome
{
    /// <summary>The condition holds.</summary>
    Pass,

    /// <summary>The condition does not hold; the gate fails.</summary>
    Fail,

    /// <summary>A <c>significant_improvement</c> rule whose interval does not clear 0: pass as challenger, not a failure.</summary>
    NotSignificant,

    /// <summary>A rule that compares with the champion when there is none.</summary>
    NotApplicable,
}
