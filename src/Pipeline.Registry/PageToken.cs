using System.Globalization;
using System.Text;

namespace Pipeline.Registry;

/// <summary>Opaque offset-based page tokens (base64 of the offset), as MLflow's SQL stores use.</summary>
internal static class PageToken
{
    public static int Decode(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return 0;
        }

        try
        {
            return int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)), CultureInfo.InvariantCulture);
        }
        catch (FormatException ex)
        {
            throw new MlflowApiException("page_token", 400, MlflowErrorCodes.InvalidParameterValue, $"Invalid page token '{token}'.", ex);
        }
    }

    public static PagedList<T> Page<T>(IReadOnlyList<T> all, int maxResults, string? token)
    {
        var offset = Decode(token);
        var items = all.Skip(offset).Take(maxResults).ToList();
        var next = offset + items.Count < all.Count
            ? Convert.ToBase64String(Encoding.UTF8.GetBytes((offset + items.Count).ToString(CultureInfo.InvariantCulture)))
            : null;
        return new PagedList<T>(items, next);
    }
}
