using System.Text;
using HtmlAgilityPack;

namespace Pipeline.Data.Ingest;

/// <summary>HTML to plain text: scripts, styles and comments dropped, entities decoded, block elements on their own lines.</summary>
public static class HtmlText
{
    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "blockquote", "pre", "hr", "title",
    };

    /// <summary>The visible text of <paramref name="html"/>.</summary>
    public static string ToText(string html)
    {
        var document = new HtmlDocument();
        document.LoadHtml(html);
        var builder = new StringBuilder(html.Length / 2);
        Append(document.DocumentNode, builder);
        return builder.ToString().Trim();
    }

    private static void Append(HtmlNode node, StringBuilder builder)
    {
        switch (node.NodeType)
        {
            case HtmlNodeType.Comment:
                return;
            case HtmlNodeType.Text:
                builder.Append(HtmlEntity.DeEntitize(((HtmlTextNode)node).Text));
                return;
            case HtmlNodeType.Element when node.Name is "script" or "style":
                return;
            case HtmlNodeType.Element when node.Name == "head":
                foreach (var title in node.ChildNodes.Where(c => c.Name == "title"))
                {
                    Append(title, builder);
                }

                return;
            default:
                break;
        }

        var block = Blocks.Contains(node.Name);
        if (block)
        {
            builder.Append('\n');
        }

        foreach (var child in node.ChildNodes)
        {
            Append(child, builder);
        }

        if (block)
        {
            builder.Append('\n');
        }
    }
}
