using System.Text;

namespace Pipeline.IO;

/// <summary>
/// Writes a file through a temporary sibling and a rename, so readers see either the old file
/// or the whole new one, and a killed writer leaves at most a <c>*.tmp</c> file nobody trusts.
/// Every output of the pipeline goes through here.
/// </summary>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Runs <paramref name="write"/> on a temporary file, flushes it to disk, then renames it over <paramref name="path"/>.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        WriteVia(path, temp =>
        {
            using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
            write(stream);
            stream.Flush(flushToDisk: true);
        });
    }

    /// <summary>
    /// For writers that take a path (safetensors, File.Copy): <paramref name="writeTemp"/> writes
    /// the temporary path it is given, which is then renamed over <paramref name="path"/>.
    /// </summary>
    public static string WriteVia(string path, Action<string> writeTemp)
    {
        ArgumentNullException.ThrowIfNull(writeTemp);
        var (full, temp) = Prepare(path);
        try
        {
            writeTemp(temp);
            File.Move(temp, full, overwrite: true);
            return full;
        }
        finally
        {
            DeleteIfExists(temp);
        }
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte-order mark.</summary>
    public static void WriteAllText(string path, string text) => WriteAllBytes(path, Utf8NoBom.GetBytes(text));

    /// <summary>Writes <paramref name="bytes"/>.</summary>
    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes));

    /// <summary>Copies <paramref name="content"/> (streamed, never buffered whole) into <paramref name="path"/>; returns the full path.</summary>
    public static async Task<string> WriteAsync(string path, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var (full, temp) = Prepare(path);
        try
        {
            var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            await using (output.ConfigureAwait(false))
            {
                await content.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            File.Move(temp, full, overwrite: true);
            return full;
        }
        finally
        {
            DeleteIfExists(temp);
        }
    }

    /// <summary>Writes <paramref name="bytes"/>; returns the full path.</summary>
    public static async Task<string> WriteAllBytesAsync(string path, byte[] bytes, CancellationToken cancellationToken = default)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return await WriteAsync(path, stream, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte-order mark; returns the full path.</summary>
    public static Task<string> WriteAllTextAsync(string path, string text, CancellationToken cancellationToken = default) =>
        WriteAllBytesAsync(path, Utf8NoBom.GetBytes(text), cancellationToken);

    private static (string Full, string Temp) Prepare(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return (full, $"{full}.{Guid.NewGuid():N}.tmp");
    }

    private static void DeleteIfExists(string temp)
    {
        if (File.Exists(temp))
        {
            File.Delete(temp);
        }
    }
}
