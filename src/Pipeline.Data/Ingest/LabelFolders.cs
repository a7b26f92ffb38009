using Pipeline.Data.Model;
using Pipeline.Data.Sources;

namespace Pipeline.Data.Ingest;

/// <summary>One file of a folder-per-label source.</summary>
/// <param name="Path">The file's full path.</param>
/// <param name="Display">How rejects and records name it.</param>
/// <param name="Id">Its path relative to the source folder (<c>label/file</c>): the record's id.</param>
/// <param name="Label">The name of the folder it is in.</param>
/// <param name="MatchedByGlob">True when the source's glob named the file itself rather than its folder.</param>
internal readonly record struct LabeledFile(string Path, string Display, string Id, string Label, bool MatchedByGlob);

/// <summary>
/// The walk that text and image folder sources share: <c>&lt;folder&gt;/&lt;label&gt;/*</c> in ordinal
/// order, the label being the sub-folder's name, or the one file a glob matched, labelled by its parent folder.
/// </summary>
internal static class LabelFolders
{
    /// <summary>Visits every file of <paramref name="folder"/>; a folder without label sub-folders is one reject.</summary>
    /// <param name="folder">The resolved source: a folder, or a file a glob matched.</param>
    /// <param name="sink">Where the reject for a folder without label sub-folders goes.</param>
    /// <param name="layout">The expected layout for that reject, e.g. <c>&lt;folder&gt;/&lt;label&gt;/*.txt</c>.</param>
    /// <param name="visit">Reads one file.</param>
    /// <param name="cancellationToken">Checked before every file.</param>
    public static void Walk(ResolvedFile folder, IRecordSink sink, string layout, Action<LabeledFile> visit, CancellationToken cancellationToken)
    {
        if (File.Exists(folder.FullPath))
        {
            var parent = Path.GetFileName(Path.GetDirectoryName(folder.FullPath)!);
            visit(new LabeledFile(folder.FullPath, folder.DisplayPath, parent + "/" + Path.GetFileName(folder.FullPath), parent, MatchedByGlob: true));
            return;
        }

        var labelDirs = Directory.EnumerateDirectories(folder.FullPath).Order(StringComparer.Ordinal).ToList();
        if (labelDirs.Count == 0)
        {
            sink.Reject(new Reject(folder.DisplayPath, null, null, RejectReasons.EmptyFile, $"The folder has no label sub-folders. Lay it out as {layout}.", null));
            return;
        }

        foreach (var labelDir in labelDirs)
        {
            var label = Path.GetFileName(labelDir);
            foreach (var path in Directory.EnumerateFiles(labelDir).Order(StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var relative = Path.GetRelativePath(folder.FullPath, path).Replace('\\', '/');
                visit(new LabeledFile(path, folder.DisplayPath + "/" + relative, relative, label, MatchedByGlob: false));
            }
        }
    }
}
