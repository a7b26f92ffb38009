namespace Pipeline.Stages.Lineage;

/// <summary>Where a run's code and data come from: what lineage tags and reports record.</summary>
/// <param name="Commit">HEAD's full commit id.</param>
/// <param name="Branch">The branch; in a detached CI checkout, the one CI names; null when unknown.</param>
/// <param name="RemoteUrl">The <c>origin</c> remote's URL (or the first remote's) with any credentials removed; null without remotes.</param>
/// <param name="IsDirty">True when any tracked file is modified or an untracked file exists (ignored files do not count).</param>
/// <param name="DirtyDataOrConfig">True when the uncommitted changes touch the data or config paths.</param>
/// <param name="DirtyPaths">The uncommitted paths, sorted.</param>
/// <param name="DataFingerprint">
/// <c>git-tree:SHA</c> (the data folder's Git tree id) when the data paths are clean, or
/// <c>content:XXH128</c> (the committed trees plus the content of each uncommitted file) when not.
/// </param>
public sealed record GitContext(
    string Commit,
    string? Branch,
    string? RemoteUrl,
    bool IsDirty,
    bool DirtyDataOrConfig,
    IReadOnlyList<string> DirtyPaths,
    string DataFingerprint)
{
    /// <summary>
    /// The code paths' fingerprint (<see cref="LineageOptions.CodePaths"/>), in the same form as
    /// <see cref="DataFingerprint"/>: it changes only when the code does, which makes it the
    /// <c>StageInput.CodeVersion</c> that reruns stages on a code change and not on a docs change.
    /// </summary>
    public string CodeFingerprint { get; init; } = "";

    /// <summary>The first seven digits of <see cref="Commit"/>.</summary>
    public string ShortCommit => Commit.Length > 7 ? Commit[..7] : Commit;

    /// <summary>
    /// Refuses to register a model built from uncommitted changes unless <paramref name="allowDirty"/>:
    /// such a model cannot be reproduced from its lineage.
    /// </summary>
    /// <exception cref="DirtyWorkingTreeException">The tree is dirty and dirty runs are not allowed.</exception>
    public void EnsureCleanForRegister(bool allowDirty)
    {
        if (!IsDirty || allowDirty)
        {
            return;
        }

        const int Shown = 5;
        var paths = string.Join(", ", DirtyPaths.Take(Shown)) + (DirtyPaths.Count > Shown ? $" and {DirtyPaths.Count - Shown} more" : "");
        throw new DirtyWorkingTreeException(
            $"refusing to register a model built from uncommitted changes ({paths}) at commit {ShortCommit}: its lineage could not reproduce it. " +
            "Commit the changes and rerun, or pass --allow-dirty to register it marked as dirty.");
    }
}
