namespace Pipeline.Training.Models;

/// <summary>Writes outputs through a temp file in the same folder and a rename, so readers never see half a file.</summary>
internal static class AtomicFile
{
    public static void WriteAllText(string path, string contents) => Write(path, tmp => File.WriteAllText(tmp, contents));

    public static void WriteAllBytes(string path, byte[] contents) => Write(path, tmp => File.WriteAllBytes(tmp, contents));

    /// <summary>Calls <paramref name="write"/> with a temp path beside <paramref name="path"/>, then renames it over <paramref name="path"/>.</summary>
    public static void Write(string path, Action<string> write)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = $"{full}.{Guid.NewGuid():N}.tmp";
        try
        {
            write(tmp);
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp))
            {
                File.Delete(tmp);
            }
        }
    }
}
