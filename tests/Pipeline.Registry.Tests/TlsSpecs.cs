using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Pipeline.Registry.Tests.Fakes;

namespace Pipeline.Registry.Tests;

public sealed class TlsSpecs : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _temp = new();
    private X509Certificate2 _certificate = null!;
    private FakeMlflowServer _server = null!;

    public async Task InitializeAsync()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        _certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
        await File.WriteAllTextAsync(_temp.Combine("ca.pem"), created.ExportCertificatePem());
        _server = await FakeMlflowServer.StartAsync(_certificate);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _certificate.Dispose();
    }

    public void Dispose() => _temp.Dispose();

    private MlflowClientOptions Options => TestClients.FastOptions(new Uri($"https://127.0.0.1:{_server.BaseUri.Port}/")) with { MaxRetries = 0 };

    [Fact]
    public async Task I_get_a_connection_error_from_a_server_whose_certificate_is_not_trusted()
    {
        // Arrange
        using var client = new MlflowClient(Options);

        // Act
        var error = await Assert.ThrowsAnyAsync<MlflowApiException>(() => client.GetExperimentByNameAsync("x"));

        // Assert
        Assert.Equal(0, error.StatusCode);
    }

    [Fact]
    public async Task I_can_reach_a_self_signed_server_with_insecure_tls_or_with_its_ca_bundle()
    {
        // Arrange
        using var insecure = new MlflowClient(Options with { InsecureTls = true });
        using var trusted = new MlflowClient(Options with { ServerCertPath = _temp.Combine("ca.pem") });

        // Act
        var viaInsecure = await insecure.GetExperimentByNameAsync("x");
        var viaCa = await trusted.GetExperimentByNameAsync("x");

        // Assert
        Assert.Null(viaInsecure);
        Assert.Null(viaCa);
        Assert.Equal(2, _server.Count("GET /api/2.0/mlflow/experiments/get-by-name"));
    }

    [Fact]
    public void I_get_an_error_when_insecure_tls_is_combined_with_a_ca_bundle()
    {
        // Act
        var error = Assert.Throws<ArgumentException>(() => new MlflowClient(Options with { InsecureTls = true, ServerCertPath = "ca.pem" }));

        // Assert
        Assert.Contains("MLFLOW_TRACKING_SERVER_CERT_PATH", error.Message, StringComparison.Ordinal);
    }
}
