using System.Text.RegularExpressions;

namespace Pipeline.Registry;

/// <summary>One <c>identifier = 'value'</c> clause; <see cref="Key"/> is set for <c>tags.</c>/<c>params.</c>.</summary>
internal sealed record FilterClause(string Field, string? Key, string Value);

/// <summary>
/// The subset of MLflow's search grammar the pipeline uses: equality clauses joined by AND, e.g.
/// <c>name='m' AND run_id='r' AND tags.`pipeline.k`='v'</c>.
/// </summary>
internal static partial class SearchFilter
{
    public static IReadOnlyList<FilterClause> Parse(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return [];
        }

        var clauses = new List<FilterClause>();
        foreach (var part in AndSplit().Split(filter.Trim()))
        {
            var match = Clause().Match(part.Trim());
            if (!match.Success)
            {
                throw new MlflowApiException("search filter", 400, MlflowErrorCodes.InvalidParameterValue,
                    $"Unsupported filter clause '{part.Trim()}': use identifier = 'value' joined by AND.");
            }

            var identifier = match.Groups["id"].Value;
            var value = match.Groups["value"].Value.Replace("''", "'", StringComparison.Ordinal);
            var dot = identifier.IndexOf('.', StringComparison.Ordinal);
            var head = dot < 0 ? identifier : identifier[..dot];
            if (dot > 0 && head is "tags" or "params" or "tag" or "param")
            {
                var key = identifier[(dot + 1)..].Trim('`', '"');
                clauses.Add(new FilterClause(head.TrimEnd('s') + "s", key, value));
            }
            else
            {
                var field = head == "attributes" || head == "attribute" ? identifier[(dot + 1)..] : identifier;
                clauses.Add(new FilterClause(field, null, value));
            }
        }

        return clauses;
    }

    /// <summary>Quotes a value for a filter string.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    [GeneratedRegex(@"\s+AND\s+", RegexOptions.IgnoreCase)]
    private static partial Regex AndSplit();

    [GeneratedRegex(@"^(?<id>[\w.`""\-]+)\s*=\s*'(?<value>(?:[^']|'')*)'$")]
    private static partial Regex Clause();
}
