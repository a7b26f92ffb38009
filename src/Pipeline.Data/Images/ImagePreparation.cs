namespace Pipeline.Data.Images;

/// <summary>
/// What an image model's input goes through before normalisation, the same in Format and in serving:
/// decode (<see cref="ImageDecoder"/>), then shorter side to <c>resize</c> and centre crop (<see cref="ImageResizer"/>).
/// The result is <c>resize × resize × 3</c> RGB bytes (HWC); the model's own normalisation comes after.
/// </summary>
public static class ImagePreparation
{
    /// <summary>Decodes <paramref name="encoded"/> and resizes and crops it to <paramref name="resize"/> × <paramref name="resize"/>.</summary>
    /// <exception cref="ImageDecodeException">The bytes are not a decodable image.</exception>
    public static RgbImage Prepare(ReadOnlySpan<byte> encoded, int resize) =>
        ImageResizer.ResizeAndCrop(ImageDecoder.Decode(encoded), resize);

    /// <summary><see cref="Prepare(ReadOnlySpan{byte}, int)"/> of a file.</summary>
    /// <exception cref="ImageDecodeException">The file is not a decodable image.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static RgbImage PrepareFile(string path, int resize) =>
        ImageResizer.ResizeAndCrop(ImageDecoder.DecodeFile(path), resize);
}
