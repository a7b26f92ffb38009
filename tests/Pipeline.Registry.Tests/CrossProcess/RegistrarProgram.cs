using System.Globalization;

namespace Pipeline.Registry.Tests.CrossProcess;

/// <summary>
/// The test assembly's entry point (the test SDK's generated one is switched off), so a spec can
/// start this very assembly as a second OS process: <c>dotnet Pipeline.Registry.Tests.dll
/// register MLRUNS MODEL COUNT GOFILE</c> prints <c>ready</c>, waits for GOFILE to appear (so the
/// processes start together), then opens the local registry and creates COUNT runs and a model
/// version for each, printing <c>VERSION RUN_ID</c> per registration. The test host never
/// calls it: it loads the assembly as a library.
/// </summary>
internal static class RegistrarProgram
{
    /// <summary>The first argument that selects the registrar.</summary>
    public const string Command = "register";

    /// <summary>What the registrar prints once its registry is open.</summary>
    public const string Ready = "ready";

    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 5 || args[0] != Command)
        {
            await Console.Error.WriteLineAsync($"usage: {Command} MLRUNS MODEL COUNT GOFILE").ConfigureAwait(false);
            return 2;
        }

        var (root, model, count, go) = (args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture), args[4]);
        // stdout is the protocol with the spec that started this process.
        Console.WriteLine(Ready);
        while (!File.Exists(go))
        {
            await Task.Delay(5).ConfigureAwait(false);
        }

        // From here on everything races the other process: creating the store, the experiment, the model, the versions.
        using var registry = new LocalRegistry(root);
        var experiment = await registry.GetOrCreateExperimentAsync("concurrent").ConfigureAwait(false);
        for (var i = 0; i < count; i++)
        {
            var run = await registry.CreateRunAsync(experiment.ExperimentId).ConfigureAwait(false);
            // What the Register stage calls: get-or-create the model, then the run's version.
            var version = await registry.RegisterModelVersionAsync(model, $"runs:/{run.Info.RunId}/model", run.Info.RunId).ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{version.Version} {run.Info.RunId}"));
        }

        return 0;
    }
}
