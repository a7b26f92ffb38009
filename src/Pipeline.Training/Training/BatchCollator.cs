using Pipeline.Training.Heads;
using static TorchSharp.torch;

namespace Pipeline.Training.Training;

/// <summary>One padded batch: ids and mask [batch, longest], labels per task.</summary>
internal sealed record CollatedBatch(Tensor InputIds, Tensor AttentionMask, Dictionary<string, TaskLabels> Labels, long RealTokens);

/// <summary>
/// Dynamic padding: each batch is padded to its own longest row, unless a fixed length is asked
/// for (<c>format.padding: max_length</c>), which costs the padding's compute.
/// </summary>
internal static class BatchCollator
{
    public static CollatedBatch Collate(IReadOnlyList<TrainingExample> examples, int[] rows, IReadOnlyList<TaskHeadSpec> tasks, long padId, Device device, int? padTo = null)
    {
        var longest = Math.Max(rows.Max(r => examples[r].InputIds.Count), padTo ?? 0);
        var ids = new long[rows.Length * longest];
        var mask = new long[rows.Length * longest];
        Array.Fill(ids, padId);
        long real = 0;
        for (var i = 0; i < rows.Length; i++)
        {
            var row = examples[rows[i]].InputIds;
            for (var j = 0; j < row.Count; j++)
            {
                ids[(i * longest) + j] = row[j];
                mask[(i * longest) + j] = 1;
            }

            real += row.Count;
        }

        var labels = Labels(examples, rows, tasks, device);
        return new(tensor(ids, [rows.Length, longest], device: device), tensor(mask, [rows.Length, longest], device: device), labels, real);
    }

    /// <summary>Labels per task for <paramref name="rows"/>, with the presence mask for rows lacking a task's label.</summary>
    public static Dictionary<string, TaskLabels> Labels(IReadOnlyList<TrainingExample> examples, int[] rows, IReadOnlyList<TaskHeadSpec> tasks, Device device)
    {
        var labels = new Dictionary<string, TaskLabels>(StringComparer.Ordinal);
        foreach (var task in tasks)
        {
            var present = new bool[rows.Length];
            if (task.Kind == TaskKind.SingleLabel)
            {
                var targets = new long[rows.Length];
                for (var i = 0; i < rows.Length; i++)
                {
                    if (examples[rows[i]].Labels.TryGetValue(task.Name, out var ids1) && ids1.Length > 0)
                    {
                        targets[i] = ids1[0];
                        present[i] = true;
                    }
                }

                labels[task.Name] = new(tensor(targets, device: device), tensor(present, device: device));
            }
            else
            {
                var targets = new float[rows.Length * task.NumLabels];
                for (var i = 0; i < rows.Length; i++)
                {
                    if (examples[rows[i]].Labels.TryGetValue(task.Name, out var positives))
                    {
                        present[i] = true;
                        foreach (var p in positives)
                        {
                            targets[(i * task.NumLabels) + p] = 1f;
                        }
                    }
                }

                labels[task.Name] = new(tensor(targets, [rows.Length, task.NumLabels], device: device), tensor(present, device: device));
            }
        }

        return labels;
    }
}
