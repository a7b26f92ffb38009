using System.Text;

namespace Pipeline.Evaluation.Reporting;

/// <summary>The chart files, relative to the report's folder.</summary>
internal static class ChartNames
{
    public const string Folder = "charts";

    public const string Loss = "charts/loss.png";

    public static string ConfusionMatrix(string task, bool multitask) => $"{Folder}/confusion-matrix{Suffix(task, multitask)}.png";

    public static string PerClassF1(string task, bool multitask) => $"{Folder}/per-class-f1{Suffix(task, multitask)}.png";

    public static string Misclassified(string task, bool multitask) => $"{Folder}/misclassified{Suffix(task, multitask)}.png";

    private static string Suffix(string task, bool multitask)
    {
        if (!multitask)
        {
            return "";
        }

        var safe = new StringBuilder(task.Length + 1).Append('-');
        foreach (var ch in task)
        {
            safe.Append(char.IsAsciiLetterOrDigit(ch) ? char.ToLowerInvariant(ch) : '-');
        }

        return safe.ToString();
    }
}
