using Pipeline.Configuration;

namespace Pipeline.Data.Sources;

/// <summary>Maps <c>data.sources</c> from <c>pipeline.yaml</c> to <see cref="SourceSpec"/>s.</summary>
public static class SourceSpecs
{
    /// <summary>The specs of <paramref name="data"/>'s sources.</summary>
    /// <exception cref="DataException">A source uses a format or encoding the data stages do not read.</exception>
    public static IReadOnlyList<SourceSpec> From(DataOptions data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return [.. data.Sources.Select(From)];
    }

    private static SourceSpec From(DataSourceOptions source)
    {
        if (source.Encoding is { } encoding && !encoding.Replace("-", "", StringComparison.Ordinal).Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            throw new DataException($"Source '{source.Path}': encoding '{encoding}' is not supported; the data stages read UTF-8 (mails declare their own charsets). Re-encode the files as UTF-8.");
        }

        var format = source.Format switch
        {
            DataFormat.Auto => SourceFormat.Auto,
            DataFormat.Jsonl => SourceFormat.Jsonl,
            DataFormat.Csv => SourceFormat.Csv,
            DataFormat.Tsv => SourceFormat.Tsv,
            DataFormat.Parquet => SourceFormat.Parquet,
            DataFormat.Folder => SourceFormat.Folder,
            DataFormat.Email => SourceFormat.Email,
            DataFormat.ImageFolder => SourceFormat.ImageFolder,
            DataFormat.Idx => SourceFormat.Idx,
            _ => throw new DataException($"Source '{source.Path}': format '{source.Format}' is not a format the data stages read (jsonl, csv, tsv, parquet, folder, email, image_folder, idx)."),
        };
        var multitask = source.Labels is { Count: > 0 } labels ? labels.OrderBy(p => p.Key, StringComparer.Ordinal).ToList() : null;
        return new SourceSpec
        {
            Path = source.Path,
            Format = format,
            TextFields = source.Text,
            LabelFields = multitask is null ? [source.Label ?? "label"] : [.. multitask.Select(p => p.Value)],
            TaskNames = multitask is null ? null : [.. multitask.Select(p => p.Key)],
            IdField = source.Id,
            Delimiter = source.Delimiter,
            LabelsFile = source.LabelsFile,
            LabelNames = source.LabelNames,
        };
    }
}
