using System.Text.Json;
using Pipeline.Data;
using Pipeline.Data.Formatting;
using Pipeline.Errors;
using Pipeline.Training.Training;
using Pipeline.Training.Vision;

namespace Pipeline.Stages.Training;

/// <summary>One split of Format's shards as the trainer and the predictors take it.</summary>
/// <param name="Examples">The rows' token ids and label ids (tasks without a label on a row are left out of its labels).</param>
/// <param name="RowIds">Clean's row id of each row, in the same order.</param>
internal sealed record SplitRows(IReadOnlyList<TrainingExample> Examples, IReadOnlyList<long> RowIds);

/// <summary>One split of Format's image shards: pixels (<c>format.image.resize</c> squares) and labels, with Clean's row ids.</summary>
/// <param name="Examples">The rows' RGB pixels and label ids (tasks without a label on a row are left out of its labels).</param>
/// <param name="RowIds">Clean's row id of each row, in the same order.</param>
internal sealed record ImageSplitRows(IReadOnlyList<ImageExample> Examples, IReadOnlyList<long> RowIds);

/// <summary>Reads <c>artifacts/format</c>: the tasks in shard order, their label names, and the split shards.</summary>
internal sealed class TrainingData
{
    private TrainingData(string folder, IReadOnlyList<string> tasks, LabelMap labels, bool images)
    {
        Folder = folder;
        Tasks = tasks;
        Labels = labels;
        IsImages = images;
    }

    /// <summary>True when Format wrote image shards (<c>"modality": "image"</c>), false for token shards.</summary>
    public bool IsImages { get; }

    /// <summary>The format folder.</summary>
    public string Folder { get; }

    /// <summary>Task names in the order the shards store their label ids.</summary>
    public IReadOnlyList<string> Tasks { get; }

    /// <summary>Label names per task, in id order.</summary>
    public LabelMap Labels { get; }

    /// <summary>Opens the format folder of <paramref name="artifacts"/>.</summary>
    /// <exception cref="PipelineException">Format has not run, or its manifest has no tasks.</exception>
    public static TrainingData Open(string artifacts)
    {
        var folder = DataArtifacts.Format(artifacts);
        var manifest = Path.Combine(folder, Formatter.ManifestFile);
        if (!File.Exists(manifest))
        {
            throw new PipelineException($"'{manifest}' does not exist: run the Format stage first (./build.sh Format).");
        }

        using var document = JsonDocument.Parse(File.ReadAllText(manifest));
        if (!document.RootElement.TryGetProperty("tasks", out var tasksElement) || tasksElement.ValueKind != JsonValueKind.Array)
        {
            throw new PipelineException($"'{manifest}' has no 'tasks' array: it was written by another version of Format. Rerun ./build.sh Format --force-stage Format.");
        }

        var tasks = tasksElement.EnumerateArray().Select(t => t.GetString() ?? "").ToList();
        var images = document.RootElement.TryGetProperty("modality", out var modality) && modality.GetString() == "image";
        return new TrainingData(folder, tasks, Formatter.ReadLabels(folder), images);
    }

    /// <summary>The label names of <paramref name="task"/>.</summary>
    public IReadOnlyList<string> LabelNames(string task) =>
        Labels.Tasks.TryGetValue(task, out var names) ? names : throw new PipelineException($"labels.json in '{Folder}' has no task '{task}'; rerun Format.");

    /// <summary>Reads every row of <paramref name="split"/> (token shards).</summary>
    /// <exception cref="PipelineException">The shards hold images.</exception>
    public SplitRows Read(Split split)
    {
        if (IsImages)
        {
            throw new PipelineException($"'{Folder}' holds image shards; this step reads text. Check model.base: a text model cannot train on images.");
        }

        var path = Path.Combine(Folder, ShardFormat.FileName(split));
        using var reader = new ShardReader(path);
        CheckTaskCount(path, reader.TaskCount);

        var examples = new List<TrainingExample>((int)reader.Count);
        var rowIds = new List<long>((int)reader.Count);
        for (long i = 0; i < reader.Count; i++)
        {
            var labels = RowLabels(i, reader.GetLabel);
            examples.Add(new TrainingExample(Array.ConvertAll(reader.GetTokens(i), id => (long)id), labels));
            rowIds.Add(reader.GetRowId(i));
        }

        return new SplitRows(examples, rowIds);
    }

    /// <summary>Reads every row of <paramref name="split"/> (image shards): pixels and labels.</summary>
    /// <exception cref="PipelineException">The shards hold tokens, or their task count disagrees with the manifest.</exception>
    public ImageSplitRows ReadImages(Split split)
    {
        if (!IsImages)
        {
            throw new PipelineException($"'{Folder}' holds token shards, not images. Check model.base: an image model needs image data (data/images/<label>/*.png or an idx source).");
        }

        var path = Path.Combine(Folder, ImageShardFormat.FileName(split));
        using var reader = new ImageShardReader(path);
        CheckTaskCount(path, reader.TaskCount);

        var examples = new List<ImageExample>((int)reader.Count);
        var rowIds = new List<long>((int)reader.Count);
        for (long i = 0; i < reader.Count; i++)
        {
            var labels = RowLabels(i, reader.GetLabel);
            examples.Add(new ImageExample(reader.GetPixels(i), reader.Height, reader.Width, labels));
            rowIds.Add(reader.GetRowId(i));
        }

        return new ImageSplitRows(examples, rowIds);
    }

    private void CheckTaskCount(string path, int taskCount)
    {
        if (taskCount != Tasks.Count)
        {
            throw new PipelineException($"'{path}' stores {taskCount} label(s) per row but manifest.json names {Tasks.Count} task(s); rerun Format.");
        }
    }

    /// <summary>Row <paramref name="row"/>'s label id per task; a task without a label on the row (id &lt; 0) is left out.</summary>
    private Dictionary<string, int[]> RowLabels(long row, Func<long, int, int> label)
    {
        var labels = new Dictionary<string, int[]>(StringComparer.Ordinal);
        for (var t = 0; t < Tasks.Count; t++)
        {
            if (label(row, t) is var id && id >= 0)
            {
                labels[Tasks[t]] = [id];
            }
        }

        return labels;
    }
}
