using System.Diagnostics;
using System.Globalization;
using Pipeline.Registry.Tests.Fakes;

namespace Pipeline.Registry.Tests.CrossProcess;

/// <summary>
/// Two OS processes (this test assembly started again through <see cref="RegistrarProgram"/>)
/// register versions of one model into the same <c>./mlruns</c> SQLite store at the same time.
/// </summary>
public sealed class CrossProcessRegistrationSpecs : IDisposable
{
    private const int Processes = 2;
    private const int PerProcess = 15;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task I_can_register_from_two_processes_at_once_and_get_unique_contiguous_versions_with_nothing_lost()
    {
        // Arrange: no store yet; both processes start and wait for the go file
        var mlruns = _temp.Combine("mlruns");
        var go = _temp.Combine("go");
        var registrars = Enumerable.Range(0, Processes).Select(_ => Start(mlruns, go)).ToList();
        try
        {
            foreach (var registrar in registrars)
            {
                var first = await registrar.StandardOutput.ReadLineAsync();
                if (first != RegistrarProgram.Ready)
                {
                    // Only now: stderr ends when the process does.
                    Assert.Fail($"the registrar printed '{first}' instead of '{RegistrarProgram.Ready}': {await registrar.StandardError.ReadToEndAsync()}");
                }
            }

            // Act: both start registering together
            await File.WriteAllTextAsync(go, "");
            var outputs = await Task.WhenAll(registrars.Select(ReadToEndAsync));

            // Assert: each process got its own versions, together exactly 1..N, and the store holds them all
            Assert.All(registrars, r => Assert.Equal(0, r.ExitCode));
            var registered = outputs.Select(Parse).ToList();
            Assert.All(registered, r => Assert.Equal(PerProcess, r.Count));
            var versions = registered.SelectMany(r => r.Select(v => v.Version)).Order().ToList();
            Assert.Equal(Enumerable.Range(1, Processes * PerProcess), versions);
            Assert.All(registered, r => Assert.Equal(r.Select(v => v.Version).Order(), r.Select(v => v.Version)));
            using var registry = new LocalRegistry(mlruns);
            var stored = await registry.SearchModelVersionsAsync("name='m'", maxResults: 1000);
            var byVersion = stored.Items.ToDictionary(v => v.Version, v => v.RunId);
            Assert.Equal(Processes * PerProcess, byVersion.Count);
            Assert.All(registered.SelectMany(r => r), v => Assert.Equal(v.RunId, byVersion[v.Version]));
            Assert.Equal(Processes * PerProcess, byVersion.Values.Distinct(StringComparer.Ordinal).Count());
        }
        finally
        {
            foreach (var registrar in registrars)
            {
                if (!registrar.HasExited)
                {
                    registrar.Kill();
                }

                registrar.Dispose();
            }
        }
    }

    /// <summary>Starts <c>dotnet</c> on this test assembly with the registrar's arguments.</summary>
    private static Process Start(string mlruns, string go)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { typeof(RegistrarProgram).Assembly.Location, RegistrarProgram.Command, mlruns, "m", PerProcess.ToString(CultureInfo.InvariantCulture), go })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
    }

    /// <summary>The dotnet host running this test, so the child uses the same runtime.</summary>
    private static string DotnetHost() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";

    private static async Task<string> ReadToEndAsync(Process process)
    {
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        // A generous bound so a hung child fails the spec instead of hanging the run; no timing is asserted.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"the registrar exited with {process.ExitCode}: {error}");
        return output;
    }

    private static List<(int Version, string RunId)> Parse(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' '))
            .Select(parts => (int.Parse(parts[0], CultureInfo.InvariantCulture), parts[1]))];
}
