using System.Globalization;
using System.Text;

namespace Pipeline.Configuration.Internal;

/// <summary>
/// Rules that involve more than one key, checked after binding. A rule is skipped when one of
/// its keys already has an error, so one mistake is reported once.
/// </summary>
internal sealed class CrossFieldRules(IReadOnlyDictionary<string, ConfigLocation> locations, ConfigLocation fileStart, ErrorSink errors)
{
    /// <summary>Checks every rule on <paramref name="options"/>.</summary>
    public void Check(PipelineOptions options)
    {
        CheckSplit(options.Split);
        CheckLengths(options.Clean);
        CheckImageSize(options.Format.Image);
        for (var i = 0; i < options.Data.Sources.Count; i++)
        {
            CheckSource(options.Data.Sources[i], $"data.sources[{i}]", options.Model.Task);
        }
    }

    private void CheckSplit(SplitOptions split)
    {
        if (errors.HasErrorAt("split") || split.Validation + split.Test < 1)
        {
            return;
        }

        var sum = (split.Validation + split.Test).ToString(CultureInfo.InvariantCulture);
        errors.Add(Locate("split.test"), "split", $"must leave rows for training: validation + test must be < 1, got {Format(split.Validation)} + {Format(split.Test)} = {sum}");
    }

    private void CheckLengths(CleanOptions clean)
    {
        if (errors.HasErrorAt("clean.min_chars") || errors.HasErrorAt("clean.max_chars") || clean.MinChars <= clean.MaxChars)
        {
            return;
        }

        errors.Add(Locate("clean.max_chars"), "clean.max_chars", $"must be >= clean.min_chars ({clean.MinChars}), got {clean.MaxChars}");
    }

    private void CheckImageSize(ImageFormatOptions image)
    {
        if (errors.HasErrorAt("format.image.size") || errors.HasErrorAt("format.image.resize") || image.Size is not { } size || size <= image.Resize)
        {
            return;
        }

        errors.Add(Locate("format.image.size"), "format.image.size", $"must be <= format.image.resize ({image.Resize}): crops are taken from the resized square, got {size}");
    }

    private void CheckSource(DataSourceOptions source, string path, ModelTask task)
    {
        if (errors.HasErrorAt(path))
        {
            return;
        }

        if (task == ModelTask.Multitask && (source.Labels is null || source.Labels.Count == 0))
        {
            errors.Add(Locate(path), path, "needs 'labels' (task name: label field) because model.task is multitask");
        }

        if (source.Encoding is { } name && !IsKnownEncoding(name))
        {
            errors.Add(Locate(path + ".encoding"), path + ".encoding", $"is not an encoding this runtime knows, got '{name}'; use utf-8, utf-16, ascii or latin1");
        }
    }

    private static bool IsKnownEncoding(string name)
    {
        try
        {
            _ = Encoding.GetEncoding(name);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private ConfigLocation Locate(string path)
    {
        while (true)
        {
            if (locations.TryGetValue(path, out var location))
            {
                return location;
            }

            var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
            if (cut <= 0)
            {
                return fileStart;
            }

            path = path[..cut];
        }
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
