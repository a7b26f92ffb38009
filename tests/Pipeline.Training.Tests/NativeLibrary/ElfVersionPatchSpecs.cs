using System.Reflection;
using Pipeline.BuildTasks;

namespace Pipeline.Training.Tests.NativeLibrary;

/// <summary>
/// The build marks libLibTorchSharp.so's GLIBCXX_3.4.32 requirement weak on hosts whose
/// libstdc++ lacks it (build/msbuild/ElfVersionPatch.cs). These specs patch a copy of the
/// real library from the NuGet cache and check the build's own output.
/// </summary>
public sealed class ElfVersionPatchSpecs : IDisposable
{
    private const string Version = "GLIBCXX_3.4.32";
    private readonly string _folder = Directory.CreateTempSubdirectory("elf-patch-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void I_can_mark_the_GLIBCXX_3_4_32_requirement_weak_and_nothing_else_changes()
    {
        // Arrange
        var copy = CopyPackagedLibrary();
        var original = File.ReadAllBytes(copy);
        var before = ElfVersionPatcher.ReadRequirements(original);

        // Act
        var result = ElfVersionPatcher.MarkWeak(copy, Version);

        // Assert
        Assert.Equal(ElfPatchResult.Patched, result);
        var patched = File.ReadAllBytes(copy);
        Assert.Equal(original.Length, patched.Length);
        var changedBytes = original.Zip(patched).Count(pair => pair.First != pair.Second);
        Assert.Equal(1, changedBytes); // one flags byte: VER_FLG_WEAK (0x2) set
        var after = ElfVersionPatcher.ReadRequirements(patched);
        Assert.Equal(before.Count, after.Count);
        for (var i = 0; i < before.Count; i++)
        {
            Assert.Equal(before[i].File, after[i].File);
            Assert.Equal(before[i].Version, after[i].Version);
            var expectedFlags = before[i].Version == Version ? (ushort)(before[i].Flags | 2) : before[i].Flags;
            Assert.Equal(expectedFlags, after[i].Flags);
        }

        Assert.Contains(after, r => r.File == "libstdc++.so.6" && r.Version == Version && (r.Flags & 2) != 0);
    }

    [Fact]
    public void Patching_twice_leaves_the_file_alone_the_second_time()
    {
        // Arrange
        var copy = CopyPackagedLibrary();
        ElfVersionPatcher.MarkWeak(copy, Version);
        var stamp = File.GetLastWriteTimeUtc(copy);
        var bytes = File.ReadAllBytes(copy);

        // Act
        var second = ElfVersionPatcher.MarkWeak(copy, Version);

        // Assert
        Assert.Equal(ElfPatchResult.AlreadyWeak, second);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(copy));
        Assert.Equal(bytes, File.ReadAllBytes(copy));
    }

    [Fact]
    public void A_library_that_does_not_need_the_version_is_not_touched()
    {
        // Arrange
        var copy = CopyPackagedLibrary();
        var bytes = File.ReadAllBytes(copy);

        // Act
        var result = ElfVersionPatcher.MarkWeak(copy, "GLIBCXX_9.9.99");

        // Assert
        Assert.Equal(ElfPatchResult.NotRequired, result);
        Assert.Equal(bytes, File.ReadAllBytes(copy));
    }

    [Fact]
    public void A_file_that_is_not_ELF_is_refused_with_a_clear_error()
    {
        // Arrange
        var path = Path.Combine(_folder, "not-elf.so");
        File.WriteAllText(path, "this is not a shared library, but it is long enough to have a header of 64 bytes........");

        // Act
        var error = Assert.Throws<InvalidDataException>(() => ElfVersionPatcher.MarkWeak(path, Version));

        // Assert
        Assert.Contains("not an ELF file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_build_output_carries_the_weak_requirement_when_the_host_libstdcxx_lacks_it()
    {
        // Arrange
        var host = ElfVersionPatcher.FindHostLibStdCxx();
        var hostHasVersion = host is not null && ElfVersionPatcher.DefinesVersion(host, Version);
        var output = Directory.GetFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}cpu{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();

        // Act
        var requirements = output.Select(p => ElfVersionPatcher.ReadRequirements(File.ReadAllBytes(p))).ToList();

        // Assert
        Assert.NotEmpty(output);
        foreach (var list in requirements)
        {
            var glibcxx = Assert.Single(list, r => r.Version == Version);
            Assert.Equal(!hostHasVersion, (glibcxx.Flags & 2) != 0);
        }
    }

    private string CopyPackagedLibrary()
    {
        var root = typeof(ElfVersionPatchSpecs).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "NuGetPackageRoot").Value!;
        var source = Path.Combine(root, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(source), $"TorchSharp's native library is not in the NuGet cache at {source}; run dotnet restore.");
        var copy = Path.Combine(_folder, "libLibTorchSharp.so");
        File.Copy(source, copy);
        return copy;
    }
}
