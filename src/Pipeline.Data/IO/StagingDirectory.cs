namespace Pipeline.Data.IO;

/// <summary>
/// A stage's output folder built aside (<c>.name.tmp-…</c>) and swapped in by <see cref="Commit"/>:
/// a stage that dies half-way leaves no output folder at all (the previous one is removed first
/// thing on commit only), so the next run never trusts a half-written output.
/// </summary>
public sealed class StagingDirectory : IDisposable
{
    private bool _committed;

    /// <summary>Starts staging the folder <paramref name="target"/>; removes an older output right away so a failed run leaves none.</summary>
    public StagingDirectory(string target)
    {
        Target = Path.GetFullPath(target);
        var parent = Path.GetDirectoryName(Target)!;
        Directory.CreateDirectory(parent);
        foreach (var stale in Directory.EnumerateDirectories(parent, "." + Path.GetFileName(Target) + ".tmp-*"))
        {
            Directory.Delete(stale, recursive: true);
        }

        WorkingPath = Path.Combine(parent, "." + Path.GetFileName(Target) + ".tmp-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(WorkingPath);
        if (Directory.Exists(Target))
        {
            Directory.Delete(Target, recursive: true);
        }
    }

    /// <summary>The final folder.</summary>
    public string Target { get; }

    /// <summary>The folder to write into until <see cref="Commit"/>.</summary>
    public string WorkingPath { get; }

    /// <summary>The path of <paramref name="fileName"/> inside the staging folder.</summary>
    public string File(string fileName) => Path.Combine(WorkingPath, fileName);

    /// <summary>Renames the staging folder to <see cref="Target"/>.</summary>
    public void Commit()
    {
        Directory.Move(WorkingPath, Target);
        _committed = true;
    }

    /// <summary>Deletes the staging folder when the stage did not commit.</summary>
    public void Dispose()
    {
        if (!_committed && Directory.Exists(WorkingPath))
        {
            Directory.Delete(WorkingPath, recursive: true);
        }
    }
}
