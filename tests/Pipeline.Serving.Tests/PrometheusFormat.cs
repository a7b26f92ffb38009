using System.Globalization;
using System.Text.RegularExpressions;

namespace Pipeline.Serving.Tests;

/// <summary>Checks text against the Prometheus exposition format 0.0.4 (the rules scrapers enforce).</summary>
internal static partial class PrometheusFormat
{
    public static void AssertValid(string text)
    {
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var typed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.TrimEnd('\n').Split('\n'))
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                continue;
            }

            var type = TypeLine().Match(line);
            if (type.Success)
            {
                Assert.True(typed.TryAdd(type.Groups[1].Value, type.Groups[2].Value), $"TYPE given twice for {type.Groups[1].Value}");
                continue;
            }

            var sample = SampleLine().Match(line);
            Assert.True(sample.Success, $"Not a valid sample line: '{line}'");
            var name = sample.Groups[1].Value;
            var family = typed.Keys.FirstOrDefault(f => name == f || name == f + "_bucket" || name == f + "_sum" || name == f + "_count");
            Assert.True(family is not null, $"Sample {name} has no preceding # TYPE line");
            Assert.True(sample.Groups[3].Value == "+Inf" || double.TryParse(sample.Groups[3].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _), $"Bad value in '{line}'");
        }
    }

    [GeneratedRegex(@"^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*=""(?:[^""\\\n]|\\[\\""n])*"",?)*\})? (\S+)$")]
    private static partial Regex SampleLine();
}
