using Pipeline.Training.Heads;
using static TorchSharp.torch;

namespace Pipeline.Training.Training;

/// <summary>Per-class counts of one task's predictions, for accuracy and macro-F1.</summary>
internal sealed class TaskTally(int labels)
{
    private readonly long[] _tp = new long[labels];
    private readonly long[] _fp = new long[labels];
    private readonly long[] _fn = new long[labels];
    private long _correct;
    private long _rows;

    public double Accuracy => _rows == 0 ? 0 : (double)_correct / _rows;

    public double MacroF1 => ValidationMetrics.MacroF1From(_tp, _fp, _fn);

    public void Add(TaskHeadSpec task, Tensor decisions, TaskLabels labels)
    {
        var present = labels.Present.cpu().data<bool>().ToArray();
        if (task.Kind == TaskKind.SingleLabel)
        {
            var predicted = decisions.cpu().data<long>().ToArray();
            var truth = labels.Targets.cpu().data<long>().ToArray();
            for (var i = 0; i < present.Length; i++)
            {
                if (present[i])
                {
                    Count(predicted[i] == truth[i], (int)predicted[i], (int)truth[i]);
                }
            }

            return;
        }

        var n = task.NumLabels;
        var decided = decisions.cpu().data<bool>().ToArray();
        var targets = labels.Targets.cpu().data<float>().ToArray();
        for (var i = 0; i < present.Length; i++)
        {
            if (!present[i])
            {
                continue;
            }

            var exact = true;
            for (var l = 0; l < n; l++)
            {
                var p = decided[(i * n) + l];
                var t = targets[(i * n) + l] > 0.5f;
                exact &= p == t;
                _tp[l] += p && t ? 1 : 0;
                _fp[l] += p && !t ? 1 : 0;
                _fn[l] += !p && t ? 1 : 0;
            }

            _rows++;
            _correct += exact ? 1 : 0;
        }
    }

    private void Count(bool correct, int predicted, int truth)
    {
        _rows++;
        if (correct)
        {
            _correct++;
            _tp[truth]++;
        }
        else
        {
            _fp[predicted]++;
            _fn[truth]++;
        }
    }
}
