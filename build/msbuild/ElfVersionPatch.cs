// Marks one symbol-version requirement of an ELF shared library as weak (VER_FLG_WEAK).
//
// Why: TorchSharp's libLibTorchSharp.so is linked against GCC 13's libstdc++ and so asks for
// GLIBCXX_3.4.32, but the only symbol it needs from that version is
// std::ios_base_library_init(), a link-time marker that is never called. Hosts whose
// libstdc++ stops at 3.4.30 (Debian 12, Ubuntu 22.04) refuse to load the library. A weak
// version requirement lets the dynamic loader accept a missing version, and the library then
// loads and runs correctly.
//
// This file is compiled twice: by MSBuild's RoslynCodeTaskFactory as an inline task (see
// TorchSharpNative.targets), and into the tests with ELF_PATCH_TESTS defined, which leaves the
// MSBuild task class out.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Pipeline.BuildTasks;

/// <summary>What <see cref="ElfVersionPatcher.MarkWeak"/> did to a file.</summary>
public enum ElfPatchResult
{
    /// <summary>The requirement was strong and is now weak.</summary>
    Patched,
    /// <summary>The requirement was already weak; the file was not touched.</summary>
    AlreadyWeak,
    /// <summary>The file does not require that version; the file was not touched.</summary>
    NotRequired,
}

/// <summary>Reads and edits the <c>.gnu.version_r</c> section of a 64-bit little-endian ELF file.</summary>
public static class ElfVersionPatcher
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    /// <summary>True when <paramref name="libstdcxxPath"/> defines the symbol version <paramref name="version"/>.</summary>
    public static bool DefinesVersion(string libstdcxxPath, string version)
    {
        byte[] needle = Encoding.ASCII.GetBytes(version + "\0");
        byte[] data = File.ReadAllBytes(libstdcxxPath);
        return IndexOf(data, needle) >= 0;
    }

    /// <summary>Finds the host's libstdc++.so.6 in the usual library folders, or null.</summary>
    public static string? FindHostLibStdCxx()
    {
        string[] candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6",
            "/lib64/libstdc++.so.6",
            "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
            "/usr/lib/libstdc++.so.6",
        };
        foreach (string candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>Lists the version requirements (library, version name, flags) of an ELF file.</summary>
    public static IReadOnlyList<(string File, string Version, ushort Flags)> ReadRequirements(byte[] elf)
    {
        var result = new List<(string, string, ushort)>();
        foreach (var (_, file, version, flags) in Walk(elf))
        {
            result.Add((file, version, flags));
        }
        return result;
    }

    /// <summary>
    /// Sets VER_FLG_WEAK on the requirement named <paramref name="version"/>. The file is
    /// rewritten atomically (temp file + rename), so a hard link into the NuGet cache is
    /// replaced rather than edited in place.
    /// </summary>
    public static ElfPatchResult MarkWeak(string path, string version)
    {
        byte[] elf = File.ReadAllBytes(path);
        ElfPatchResult result = ElfPatchResult.NotRequired;
        foreach (var (flagsOffset, _, name, flags) in Walk(elf))
        {
            if (name != version)
            {
                continue;
            }
            if ((flags & VerFlgWeak) != 0)
            {
                if (result == ElfPatchResult.NotRequired)
                {
                    result = ElfPatchResult.AlreadyWeak;
                }
                continue;
            }
            WriteU16(elf, flagsOffset, (ushort)(flags | VerFlgWeak));
            result = ElfPatchResult.Patched;
        }
        if (result == ElfPatchResult.Patched)
        {
            // Copy first so the temp file keeps the original's permissions, then overwrite
            // its bytes and rename it over the original (netstandard2.0 APIs only: the
            // MSBuild inline task compiles against netstandard).
            string temp = path + ".weak-" + Guid.NewGuid().ToString("N") + ".tmp";
            File.Copy(path, temp);
            try
            {
                File.WriteAllBytes(temp, elf);
                File.Replace(temp, path, null);
            }
            catch
            {
                File.Delete(temp);
                throw;
            }
        }
        return result;
    }

    private static IEnumerable<(int FlagsOffset, string File, string Version, ushort Flags)> Walk(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
        {
            throw new InvalidDataException("not an ELF file");
        }
        if (elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException("only 64-bit little-endian ELF files are supported");
        }
        long shoff = (long)ReadU64(elf, 0x28);
        int shentsize = ReadU16(elf, 0x3a);
        int shnum = ReadU16(elf, 0x3c);
        for (int i = 0; i < shnum; i++)
        {
            int sh = checked((int)(shoff + (long)i * shentsize));
            if (ReadU32(elf, sh + 4) != ShtGnuVerneed)
            {
                continue;
            }
            int offset = checked((int)ReadU64(elf, sh + 0x18));
            int link = (int)ReadU32(elf, sh + 0x28);
            int count = (int)ReadU32(elf, sh + 0x2c); // sh_info: number of Verneed entries
            int strSh = checked((int)(shoff + (long)link * shentsize));
            int strOffset = checked((int)ReadU64(elf, strSh + 0x18));

            int need = offset;
            for (int n = 0; n < count; n++)
            {
                int auxCount = ReadU16(elf, need + 2);
                string file = ReadString(elf, strOffset + (int)ReadU32(elf, need + 4));
                int aux = need + (int)ReadU32(elf, need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    ushort flags = ReadU16(elf, aux + 4);
                    string name = ReadString(elf, strOffset + (int)ReadU32(elf, aux + 8));
                    yield return (aux + 4, file, name, flags);
                    uint nextAux = ReadU32(elf, aux + 12);
                    if (nextAux == 0)
                    {
                        break;
                    }
                    aux += (int)nextAux;
                }
                uint nextNeed = ReadU32(elf, need + 12);
                if (nextNeed == 0)
                {
                    break;
                }
                need += (int)nextNeed;
            }
        }
    }

    private static ushort ReadU16(byte[] b, int o) => (ushort)(b[o] | (b[o + 1] << 8));

    private static uint ReadU32(byte[] b, int o) => (uint)(b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24));

    private static ulong ReadU64(byte[] b, int o) => ReadU32(b, o) | ((ulong)ReadU32(b, o + 4) << 32);

    private static void WriteU16(byte[] b, int o, ushort v)
    {
        b[o] = (byte)v;
        b[o + 1] = (byte)(v >> 8);
    }

    private static string ReadString(byte[] b, int o)
    {
        int end = o;
        while (end < b.Length && b[end] != 0)
        {
            end++;
        }
        return Encoding.ASCII.GetString(b, o, end - o);
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        int limit = haystack.Length - needle.Length;
        for (int i = 0; i <= limit; i++)
        {
            if (haystack[i] != needle[0])
            {
                continue;
            }
            int j = 1;
            while (j < needle.Length && haystack[i + j] == needle[j])
            {
                j++;
            }
            if (j == needle.Length)
            {
                return i;
            }
        }
        return -1;
    }
}

#if !ELF_PATCH_TESTS
/// <summary>
/// MSBuild task: marks the <see cref="Version"/> requirement of each file in <see cref="Files"/>
/// weak, but only when the host's libstdc++ lacks that version.
/// </summary>
public sealed class MarkElfVersionWeak : Microsoft.Build.Utilities.Task
{
    /// <summary>The ELF files to patch.</summary>
    [Microsoft.Build.Framework.Required]
    public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

    /// <summary>The version requirement to weaken, e.g. GLIBCXX_3.4.32.</summary>
    [Microsoft.Build.Framework.Required]
    public string Version { get; set; } = "";

    /// <inheritdoc />
    public override bool Execute()
    {
        if (!System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux))
        {
            return true;
        }
        string? host = ElfVersionPatcher.FindHostLibStdCxx();
        if (host != null && ElfVersionPatcher.DefinesVersion(host, Version))
        {
            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, $"{host} defines {Version}; nothing to patch.");
            return true;
        }
        foreach (var item in Files)
        {
            string path = item.ItemSpec;
            ElfPatchResult result = ElfVersionPatcher.MarkWeak(path, Version);
            if (result == ElfPatchResult.Patched)
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal, $"Marked {Version} weak in {path} (host libstdc++ lacks it).");
            }
        }
        return true;
    }
}
#endif
