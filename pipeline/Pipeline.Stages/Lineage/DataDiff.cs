using System.Globalization;

namespace Pipeline.Stages.Lineage;

/// <summary>How the data changed between two commits.</summary>
/// <param name="FromCommit">The older commit's full id.</param>
/// <param name="ToCommit">The newer commit's full id.</param>
/// <param name="FilesAdded">Data files that appeared, sorted.</param>
/// <param name="FilesRemoved">Data files that disappeared, sorted.</param>
/// <param name="FilesModified">Data files whose content changed (a rename counts as removed + added), sorted.</param>
/// <param name="Labels">Rows added and removed per label, for labels with any change, sorted by label.</param>
/// <param name="NewLabels">Labels that no data file at <paramref name="FromCommit"/> had, sorted.</param>
/// <param name="GoneLabels">Labels that no data file at <paramref name="ToCommit"/> has any more, sorted.</param>
public sealed record DataDiff(
    string FromCommit,
    string ToCommit,
    IReadOnlyList<string> FilesAdded,
    IReadOnlyList<string> FilesRemoved,
    IReadOnlyList<string> FilesModified,
    IReadOnlyList<LabelDelta> Labels,
    IReadOnlyList<string> NewLabels,
    IReadOnlyList<string> GoneLabels)
{
    /// <summary>Rows added over all labels (a row with two labels counts once per label).</summary>
    public int RowsAdded => Labels.Sum(l => l.Added);

    /// <summary>Rows removed over all labels.</summary>
    public int RowsRemoved => Labels.Sum(l => l.Removed);

    /// <summary>Whether any data file changed.</summary>
    public bool HasChanges => FilesAdded.Count + FilesRemoved.Count + FilesModified.Count > 0;

    /// <summary>One line for logs and reports: <c>+1,204 rows, 3 new labels, 12 rows removed</c>.</summary>
    public string Summary
    {
        get
        {
            if (!HasChanges)
            {
                return "no data changes";
            }

            var parts = new List<string> { string.Create(CultureInfo.InvariantCulture, $"+{RowsAdded:N0} {Plural(RowsAdded, "row")}") };
            if (NewLabels.Count > 0)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{NewLabels.Count:N0} new {Plural(NewLabels.Count, "label")}"));
            }

            if (RowsRemoved > 0)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{RowsRemoved:N0} {Plural(RowsRemoved, "row")} removed"));
            }

            if (GoneLabels.Count > 0)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{GoneLabels.Count:N0} {Plural(GoneLabels.Count, "label")} gone"));
            }

            return string.Join(", ", parts);
        }
    }

    private static string Plural(int count, string noun) => count == 1 ? noun : noun + "s";
}

/// <summary>Rows of one label added and removed.</summary>
public sealed record LabelDelta(string Label, int Added, int Removed);
