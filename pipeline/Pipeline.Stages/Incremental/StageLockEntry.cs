namespace Pipeline.Stages.Incremental;

/// <summary>What <c>pipeline.lock</c> records for one stage's last completed run.</summary>
/// <param name="Fingerprint">The input fingerprint (xxHash128, 32 hex digits).</param>
/// <param name="Completed">When the stage finished, UTC.</param>
/// <param name="Inputs">Each input's key and hash (see <see cref="StageFingerprint"/>).</param>
/// <param name="Outputs">Each output's path under the artifacts folder and checksum.</param>
public sealed record StageLockEntry(
    string Fingerprint,
    DateTimeOffset Completed,
    IReadOnlyDictionary<string, string> Inputs,
    IReadOnlyDictionary<string, string> Outputs);
