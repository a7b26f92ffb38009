using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Pipeline.Stages.Incremental;

/// <summary>
/// The inode number of a file on Linux (through <c>statx</c>, whose layout is the same on every
/// architecture), so the stat cache notices a file replaced by a rename that kept its size and
/// time (<c>cp -p</c>, <c>rsync -t</c>). Zero where it is not available; the cache then relies
/// on size and time alone.
/// </summary>
internal static partial class FileIdentity
{
    private const int AtFdCwd = -100;
    private const uint StatxIno = 0x100;
    private const int StatxSize = 256;
    private const int InoOffset = 32;
    private static volatile bool _unavailable = !OperatingSystem.IsLinux();

    public static ulong Inode(string path)
    {
        if (_unavailable)
        {
            return 0;
        }

        try
        {
            var buffer = new byte[StatxSize];
            if (Statx(AtFdCwd, path, 0, StatxIno, buffer) != 0)
            {
                return 0;
            }

            var mask = BinaryPrimitives.ReadUInt32LittleEndian(buffer);
            return (mask & StatxIno) != 0 ? BitConverter.ToUInt64(buffer, InoOffset) : 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            _unavailable = true;
            return 0;
        }
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, [Out] byte[] buffer);
}
