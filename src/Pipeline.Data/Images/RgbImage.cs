namespace Pipeline.Data.Images;

/// <summary>
/// An 8-bit RGB image, rows top to bottom, pixels left to right, channels R, G, B (HWC):
/// the byte of channel <c>c</c> at row <c>y</c>, column <c>x</c> is <c>Pixels[((y * Width) + x) * 3 + c]</c>.
/// </summary>
/// <param name="Pixels">Exactly <c>Height × Width × 3</c> bytes.</param>
/// <param name="Height">Rows, at least 1.</param>
/// <param name="Width">Columns, at least 1.</param>
public sealed record RgbImage(byte[] Pixels, int Height, int Width)
{
    /// <summary>Channels per pixel (R, G, B).</summary>
    public const int Channels = 3;
}
