using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Pipeline.Serving.Tests;

public sealed class RunSpecs
{
    [Fact]
    public async Task I_can_run_the_service_from_a_command_line_until_cancelled()
    {
        // Arrange
        var root = Path.Combine(Path.GetTempPath(), "serving-run-" + Guid.NewGuid().ToString("N"));
        var folder = TinyOnnxModel.Write(Path.Combine(root, "model"), "3");
        var port = FreePort();
        var (options, urls) = ServingCommandLine.Parse(["--model", folder, "--urls", $"http://127.0.0.1:{port}"], _ => null);
        using var stop = new CancellationTokenSource();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        // Act
        var running = ServingHost.RunAsync(options, urls, Path.Combine(root, "mlruns"), stop.Token, l => l.ClearProviders());
        HttpStatusCode? health = null;
        for (var i = 0; i < 200 && health != HttpStatusCode.OK && !running.IsCompleted; i++)
        {
            try
            {
                health = (await client.GetAsync("/healthz")).StatusCode;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(50);
            }
        }

        await stop.CancelAsync();
        await running;

        // Assert
        Assert.Equal(HttpStatusCode.OK, health);
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/healthz"));
        Assert.False(Directory.Exists(Path.Combine(root, "mlruns")));
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task I_get_an_error_naming_the_address_when_the_port_is_taken()
    {
        // Arrange
        var root = Path.Combine(Path.GetTempPath(), "serving-port-" + Guid.NewGuid().ToString("N"));
        var folder = TinyOnnxModel.Write(Path.Combine(root, "model"), "1");
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";

        // Act
        var error = await Assert.ThrowsAsync<ServingException>(() =>
            ServingHost.StartAsync(new ServingOptions { Model = folder }, Models.ModelSource.Onnx(), [url], CancellationToken.None, l => l.ClearProviders()));

        // Assert
        Assert.Contains(url, error.Message, StringComparison.Ordinal);
        Directory.Delete(root, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
