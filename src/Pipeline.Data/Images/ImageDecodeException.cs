namespace Pipeline.Data.Images;

/// <summary>Bytes that are not an image SkiaSharp can decode (unknown format, truncated or corrupt data, absurd size).</summary>
public class ImageDecodeException : DataException
{
    public ImageDecodeException()
    {
    }

    public ImageDecodeException(string message)
        : base(message)
    {
    }

    public ImageDecodeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
