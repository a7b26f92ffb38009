using ScottPlot;

namespace Pipeline.Evaluation.Reporting;

/// <summary>Draws the report's PNG charts with ScottPlot (SkiaSharp), headless.</summary>
internal static class Charts
{
    private const int Width = 900;
    private const int Height = 650;

    /// <summary>Confusion-matrix heatmap: true labels down, predicted labels across, counts in the cells.</summary>
    public static byte[] ConfusionMatrix(TaskReport task)
    {
        var k = task.Labels.Count;
        var data = new double[k, k];
        var max = 0;
        for (var t = 0; t < k; t++)
        {
            for (var p = 0; p < k; p++)
            {
                data[t, p] = task.ConfusionMatrix[t][p];
                max = Math.Max(max, task.ConfusionMatrix[t][p]);
            }
        }

        using var plot = new Plot();
        var heatmap = plot.Add.Heatmap(data);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.Rectangle = new CoordinateRect(0, k, 0, k);
        plot.Add.ColorBar(heatmap);

        // Row 0 (the first true label) is drawn at the top, so its centre is at y = k − 0.5.
        if (k <= 30)
        {
            for (var t = 0; t < k; t++)
            {
                for (var p = 0; p < k; p++)
                {
                    var text = plot.Add.Text(task.ConfusionMatrix[t][p].ToString(System.Globalization.CultureInfo.InvariantCulture), p + 0.5, k - t - 0.5);
                    text.LabelAlignment = Alignment.MiddleCenter;
                    text.LabelFontColor = task.ConfusionMatrix[t][p] > max / 2.0 ? Colors.Black : Colors.White;
                }
            }
        }

        var centres = Enumerable.Range(0, k).Select(i => i + 0.5).ToArray();
        plot.Axes.Bottom.SetTicks(centres, [.. task.Labels]);
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Left.SetTicks(centres, [.. Enumerable.Range(0, k).Select(i => task.Labels[k - 1 - i])]);
        plot.Axes.SetLimits(0, k, 0, k);
        plot.Axes.Bottom.MinimumSize = 110;
        plot.Title($"Confusion matrix ({task.Task})");
        plot.XLabel("Predicted");
        plot.YLabel("True");
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    /// <summary>Per-label F1 bars: champion and challenger side by side (challenger alone without a champion).</summary>
    public static byte[] PerClassF1(TaskReport task, bool hasChampion)
    {
        var labels = task.Labels;
        var byLabel = task.PerClass.ToDictionary(c => c.Label, StringComparer.Ordinal);
        using var plot = new Plot();
        var championColor = Colors.Gray;
        var challengerColor = Colors.SteelBlue;
        var bars = new List<Bar>();
        for (var i = 0; i < labels.Count; i++)
        {
            var c = byLabel[labels[i]];
            if (hasChampion)
            {
                bars.Add(new Bar { Position = (i * 3) + 0, Value = c.ChampionF1 ?? 0, FillColor = championColor });
                bars.Add(new Bar { Position = (i * 3) + 1, Value = c.F1, FillColor = challengerColor });
            }
            else
            {
                bars.Add(new Bar { Position = (i * 3) + 0.5, Value = c.F1, FillColor = challengerColor, Size = 2 });
            }
        }

        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, labels.Count).Select(i => (i * 3) + 0.5)], [.. labels]);
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.SetLimits(-1, labels.Count * 3, 0, 1.2);
        if (hasChampion)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "champion", FillColor = championColor });
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "challenger", FillColor = challengerColor });
            plot.ShowLegend(Alignment.UpperRight);
        }

        plot.Axes.Bottom.MinimumSize = 110;
        plot.Title($"F1 per label ({task.Task})");
        plot.YLabel("F1");
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    /// <summary>Training and validation loss by step.</summary>
    public static byte[] Loss(IReadOnlyList<LossPoint> points)
    {
        using var plot = new Plot();
        var train = plot.Add.Scatter(
            points.Select(p => (double)p.Step).ToArray(), points.Select(p => p.TrainLoss).ToArray());
        train.LegendText = "training loss";
        var validation = points.Where(p => p.ValidationLoss is not null).ToList();
        if (validation.Count > 0)
        {
            var line = plot.Add.Scatter(
                validation.Select(p => (double)p.Step).ToArray(), validation.Select(p => p.ValidationLoss!.Value).ToArray());
            line.LegendText = "validation loss";
        }

        plot.ShowLegend(Alignment.UpperRight);
        plot.Title("Loss");
        plot.XLabel("Step");
        plot.YLabel("Cross-entropy");
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }
}
