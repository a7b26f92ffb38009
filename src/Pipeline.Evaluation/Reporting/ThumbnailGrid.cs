using System.Globalization;
using SkiaSharp;

namespace Pipeline.Evaluation.Reporting;

/// <summary>
/// Draws misclassified test images as a PNG grid: each thumbnail with its true label and, in red,
/// the predicted label and its confidence, the most confident mistakes first.
/// </summary>
internal static class ThumbnailGrid
{
    private const int Cell = 112;
    private const int Caption = 34;
    private const int Gap = 8;
    private const int MaxColumns = 8;

    /// <summary>The grid of <paramref name="rows"/> that have pixels in <paramref name="images"/>, as PNG bytes.</summary>
    public static byte[] Draw(IReadOnlyList<MisclassifiedRow> rows, IReadOnlyDictionary<string, ReportImage> images)
    {
        var shown = rows.Where(r => images.ContainsKey(r.RowId)).ToList();
        var columns = Math.Clamp(shown.Count, 1, MaxColumns);
        var lines = Math.Max(1, (shown.Count + columns - 1) / columns);
        var width = Gap + (columns * (Cell + Gap));
        var height = Gap + (lines * (Cell + Caption + Gap));
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var font = new SKFont(SKTypeface.Default, 11);
        using var black = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var red = new SKPaint { Color = new SKColor(0xC6, 0x28, 0x28), IsAntialias = true };
        for (var i = 0; i < shown.Count; i++)
        {
            var row = shown[i];
            var x = Gap + (i % columns * (Cell + Gap));
            var y = Gap + (i / columns * (Cell + Caption + Gap));
            using var thumbnail = ToImage(images[row.RowId]);
            // Small images (28×28 Fashion-MNIST) are scaled up with nearest neighbour so their pixels stay visible.
            var sampling = thumbnail.Width < Cell / 2 ? new SKSamplingOptions(SKFilterMode.Nearest) : new SKSamplingOptions(SKCubicResampler.Mitchell);
            canvas.DrawImage(thumbnail, Fit(thumbnail.Width, thumbnail.Height, x, y), sampling);
            canvas.DrawText(Short(row.True, font), x, y + Cell + 13, SKTextAlign.Left, font, black);
            var predicted = "→ " + row.Predicted + " " + row.Confidence.ToString("0.00", CultureInfo.InvariantCulture);
            canvas.DrawText(Short(predicted, font), x, y + Cell + 28, SKTextAlign.Left, font, red);
        }

        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    /// <summary>The largest rectangle of the image's aspect ratio inside the cell at (x, y), centred.</summary>
    private static SKRect Fit(int width, int height, float x, float y)
    {
        var scale = Math.Min((float)Cell / width, (float)Cell / height);
        var w = width * scale;
        var h = height * scale;
        return SKRect.Create(x + ((Cell - w) / 2), y + ((Cell - h) / 2), w, h);
    }

    private static SKImage ToImage(ReportImage image)
    {
        if (image.Rgb.Length != image.Width * image.Height * 3)
        {
            throw new ArgumentException($"An image of {image.Width}×{image.Height} needs {image.Width * image.Height * 3} RGB bytes, got {image.Rgb.Length}.", nameof(image));
        }

        var rgba = new byte[image.Width * image.Height * 4];
        for (int p = 0, q = 0; p < image.Rgb.Length; p += 3, q += 4)
        {
            rgba[q] = image.Rgb[p];
            rgba[q + 1] = image.Rgb[p + 1];
            rgba[q + 2] = image.Rgb[p + 2];
            rgba[q + 3] = 255;
        }

        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var data = SKData.CreateCopy(rgba);
        return SKImage.FromPixels(info, data, info.RowBytes);
    }

    /// <summary>The caption cut with an ellipsis to fit one cell.</summary>
    private static string Short(string text, SKFont font)
    {
        if (font.MeasureText(text) <= Cell)
        {
            return text;
        }

        var length = text.Length;
        while (length > 1 && font.MeasureText(text[..length] + "…") > Cell)
        {
            length--;
        }

        return text[..length] + "…";
    }
}
