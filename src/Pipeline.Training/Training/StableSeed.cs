namespace Pipeline.Training.Training;

/// <summary>
/// Seeds derived from several parts, stable across processes (unlike <see cref="HashCode"/>,
/// which is randomised per process and would change the data order after a resume).
/// </summary>
internal static class StableSeed
{
    public static int Combine(params int[] parts)
    {
        var hash = 17;
        foreach (var part in parts)
        {
            hash = unchecked((hash * 31) + part);
        }

        return hash;
    }

    public static int Of(string text)
    {
        var hash = 17;
        foreach (var c in text)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash;
    }
}
