namespace Pipeline.Data.IO;

/// <summary>Writes a file through a temporary sibling and a rename, so readers see the old file or the whole new one.</summary>
public static class AtomicFile
{
    /// <summary>Runs <paramref name="write"/> on a temporary file, then renames it over <paramref name="path"/>. On failure the temporary file is deleted.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 (no BOM) atomically.</summary>
    public static void WriteAllText(string path, string text) =>
        Write(path, s =>
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(text);
            s.Write(bytes);
        });
}
