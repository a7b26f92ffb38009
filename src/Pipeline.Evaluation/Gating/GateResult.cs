namespace Pipeline.Evaluation.Gating;

/// <summary>The gate's verdict and every rule's check.</summary>
public sealed record GateResult(GateVerdict Verdict, IReadOnlyList<RuleCheck> Checks)
{
    /// <summary>
    /// One line naming each failing rule and its numbers, e.g.
    /// <c>Gate failed: macro_f1 &gt;= 0.85 (got 0.812)</c>; null unless the verdict is <see cref="GateVerdict.Fail"/>.
    /// </summary>
    public string? FailureMessage => Verdict == GateVerdict.Fail
        ? "Gate failed: " + string.Join("; ", Checks.Where(c => c.Outcome == RuleOutcome.Fail).Select(c => $"{c.Condition} ({c.Detail})"))
        : null;

    /// <summary>The verdict line of the report: <c>PASS</c>, <c>PASS as challenger</c> or <c>FAIL</c>.</summary>
    public string VerdictText => Verdict switch
    {
        GateVerdict.Pass => "PASS",
        GateVerdict.PassAsChallenger => "PASS as challenger",
        _ => "FAIL",
    };

    /// <summary>Throws <see cref="GateFailedException"/> when the verdict is <see cref="GateVerdict.Fail"/>.</summary>
    public void EnsurePassed()
    {
        if (Verdict == GateVerdict.Fail)
        {
            throw new GateFailedException(this);
        }
    }
}
