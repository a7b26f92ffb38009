namespace Pipeline.Stages.Incremental;

/// <summary>What happened to one stage in an incremental run.</summary>
/// <param name="Stage">The stage's name.</param>
/// <param name="Skipped">True when it was up to date and did not run.</param>
/// <param name="Reason">Why it ran or was skipped, in words (<c>inputs changed: file:data/a.jsonl</c>).</param>
/// <param name="Fingerprint">Its input fingerprint; empty for stages that declare no inputs.</param>
public sealed record StageOutcome(string Stage, bool Skipped, string Reason, string Fingerprint);
