using Pipeline.Serving.Models;

namespace Pipeline.Serving.Internal;

/// <summary>Logits to a head's prediction: softmax for single-label heads, a sigmoid per label and thresholds for multi-label ones.</summary>
internal static class Probabilities
{
    public static HeadPrediction FromLogits(ModelHead head, ReadOnlySpan<float> logits) =>
        head.MultiLabel ? Sigmoid(head, logits) : Softmax(head, logits);

    private static HeadPrediction Softmax(ModelHead head, ReadOnlySpan<float> logits)
    {
        var max = float.NegativeInfinity;
        var best = 0;
        for (var j = 0; j < logits.Length; j++)
        {
            if (logits[j] > max)
            {
                max = logits[j];
                best = j;
            }
        }

        var scores = new float[logits.Length];
        var sum = 0.0;
        for (var j = 0; j < logits.Length; j++)
        {
            var e = Math.Exp(logits[j] - max);
            scores[j] = (float)e;
            sum += e;
        }

        for (var j = 0; j < scores.Length; j++)
        {
            scores[j] = (float)(scores[j] / sum);
        }

        return new HeadPrediction(head.Name, head.Labels[best], scores);
    }

    private static HeadPrediction Sigmoid(ModelHead head, ReadOnlySpan<float> logits)
    {
        var scores = new float[logits.Length];
        List<string> predicted = [];
        var best = 0;
        for (var j = 0; j < logits.Length; j++)
        {
            scores[j] = (float)(1.0 / (1.0 + Math.Exp(-logits[j])));
            if (scores[j] > scores[best])
            {
                best = j;
            }

            if (scores[j] >= (head.Thresholds?[j] ?? 0.5f))
            {
                predicted.Add(head.Labels[j]);
            }
        }

        return new HeadPrediction(head.Name, head.Labels[best], scores) { Labels = predicted };
    }
}
