using LibGit2Sharp;
using Pipeline.Errors;

namespace Pipeline.Stages.Lineage;

/// <summary>Computes the <see cref="DataDiff"/> between two commits from the Git objects (no checkout).</summary>
public static class GitDataDiff
{
    /// <summary>
    /// The data change from <paramref name="fromCommit"/> to <paramref name="toCommit"/> (ids,
    /// short ids, branches or <c>HEAD~1</c>) in the repository containing <paramref name="path"/>.
    /// Rows are compared as multisets of their text per file, so a reordered file adds nothing.
    /// </summary>
    /// <exception cref="PipelineException">A commit is not in the repository (for example a shallow clone).</exception>
    public static DataDiff Compute(string path, string fromCommit, string toCommit, LineageOptions? options = null)
    {
        options ??= new LineageOptions();
        using var repo = GitLineage.Open(path);
        var from = Resolve(repo, fromCommit);
        var to = Resolve(repo, toCommit);
        var changes = repo.Diff.Compare<TreeChanges>(from.Tree, to.Tree, options.DataPaths.Select(p => p.TrimEnd('/')));

        var added = new List<string>();
        var removed = new List<string>();
        var modified = new List<string>();
        var rowsAdded = new Dictionary<string, int>(StringComparer.Ordinal);
        var rowsRemoved = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            if (!GitLineage.IsUnder(change.Path, options.DataPaths) && !GitLineage.IsUnder(change.OldPath, options.DataPaths))
            {
                continue;
            }

            string? oldPath = null;
            string? newPath = null;
            switch (change.Status)
            {
                case ChangeKind.Added or ChangeKind.Copied:
                    added.Add(change.Path);
                    newPath = change.Path;
                    break;
                case ChangeKind.Deleted:
                    removed.Add(change.Path);
                    oldPath = change.Path;
                    break;
                case ChangeKind.Renamed:
                    removed.Add(change.OldPath);
                    added.Add(change.Path);
                    (oldPath, newPath) = (change.OldPath, change.Path);
                    break;
                case ChangeKind.Modified or ChangeKind.TypeChanged:
                    modified.Add(change.Path);
                    (oldPath, newPath) = (change.OldPath, change.Path);
                    break;
                default:
                    continue;
            }

            var oldRows = oldPath is not null && DataRows.IsRowFile(oldPath) ? Rows(repo, change.OldOid, oldPath, options) : [];
            var newRows = newPath is not null && DataRows.IsRowFile(newPath) ? Rows(repo, change.Oid, newPath, options) : [];
            CountDifference(newRows, oldRows, rowsAdded);
            CountDifference(oldRows, newRows, rowsRemoved);
        }

        var labels = rowsAdded.Keys.Union(rowsRemoved.Keys)
            .Order(StringComparer.Ordinal)
            .Select(l => new LabelDelta(l, rowsAdded.GetValueOrDefault(l), rowsRemoved.GetValueOrDefault(l)))
            .ToList();

        // Only labels whose rows changed can have appeared or vanished: look for those in the whole data set.
        var candidatesNew = rowsAdded.Keys.Where(l => l != DataRows.Unlabeled).ToHashSet(StringComparer.Ordinal);
        var candidatesGone = rowsRemoved.Keys.Where(l => l != DataRows.Unlabeled).ToHashSet(StringComparer.Ordinal);
        var newLabels = candidatesNew.Count == 0 ? [] : candidatesNew.Except(LabelsIn(from, options, candidatesNew)).Order(StringComparer.Ordinal).ToList();
        var goneLabels = candidatesGone.Count == 0 ? [] : candidatesGone.Except(LabelsIn(to, options, candidatesGone)).Order(StringComparer.Ordinal).ToList();

        return new DataDiff(
            from.Sha,
            to.Sha,
            [.. added.Order(StringComparer.Ordinal)],
            [.. removed.Order(StringComparer.Ordinal)],
            [.. modified.Order(StringComparer.Ordinal)],
            labels,
            newLabels,
            goneLabels);
    }

    internal static Commit Resolve(Repository repo, string commitish)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commitish);
        try
        {
            return repo.Lookup<Commit>(commitish)
                ?? throw new PipelineException(
                    $"commit '{commitish}' is not in the repository at {repo.Info.WorkingDirectory}. In CI, check out the full history (actions/checkout with fetch-depth: 0).");
        }
        catch (LibGit2SharpException ex)
        {
            throw new PipelineException($"'{commitish}' does not name a commit in {repo.Info.WorkingDirectory}: {ex.Message}", ex);
        }
    }

    private static List<(string Row, IReadOnlyList<string> Labels)> Rows(Repository repo, ObjectId blobId, string path, LineageOptions options)
    {
        var blob = repo.Lookup<Blob>(blobId);
        return blob is null ? [] : [.. DataRows.Read(path, blob.GetContentText(), options.LabelFields)];
    }

    /// <summary>Adds to <paramref name="counts"/>, per label, the rows of <paramref name="left"/> not matched in <paramref name="right"/>.</summary>
    private static void CountDifference(
        List<(string Row, IReadOnlyList<string> Labels)> left, List<(string Row, IReadOnlyList<string> Labels)> right, Dictionary<string, int> counts)
    {
        var remaining = right.GroupBy(r => r.Row, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (var (row, labels) in left)
        {
            if (remaining.TryGetValue(row, out var n) && n > 0)
            {
                remaining[row] = n - 1;
                continue;
            }

            foreach (var label in labels)
            {
                counts[label] = counts.GetValueOrDefault(label) + 1;
            }
        }
    }

    private static HashSet<string> LabelsIn(Commit commit, LineageOptions options, HashSet<string> wanted)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, blob) in Blobs(commit.Tree, ""))
        {
            if (!GitLineage.IsUnder(path, options.DataPaths) || !DataRows.IsRowFile(path))
            {
                continue;
            }

            foreach (var (_, labels) in DataRows.Read(path, blob.GetContentText(), options.LabelFields))
            {
                found.UnionWith(labels.Where(wanted.Contains));
            }

            if (found.Count == wanted.Count)
            {
                break;
            }
        }

        return found;
    }

    private static IEnumerable<(string Path, Blob Blob)> Blobs(Tree tree, string prefix)
    {
        foreach (var entry in tree)
        {
            var path = prefix + entry.Name;
            if (entry.Target is Tree subtree)
            {
                foreach (var item in Blobs(subtree, path + "/"))
                {
                    yield return item;
                }
            }
            else if (entry.Target is Blob blob)
            {
                yield return (path, blob);
            }
        }
    }
}
