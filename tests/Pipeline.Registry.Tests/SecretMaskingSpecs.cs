using Pipeline.Registry.Tests.Fakes;

namespace Pipeline.Registry.Tests;

public sealed class SecretMaskingSpecs : IAsyncLifetime
{
    private const string Password = "s3cr3t-P4ss";
    private const string Token = "tok-ABCDEF123456";
    private FakeMlflowServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeMlflowServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static Func<string, string?> Environment(string uri, bool withBasic = true) => name => name switch
    {
        "MLFLOW_TRACKING_URI" => uri,
        "MLFLOW_TRACKING_USERNAME" => withBasic ? "alice" : null,
        "MLFLOW_TRACKING_PASSWORD" => withBasic ? Password : null,
        "MLFLOW_TRACKING_TOKEN" => Token,
        "MLFLOW_HTTP_REQUEST_MAX_RETRIES" => "1",
        "MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR" => "0.01",
        "MLFLOW_HTTP_REQUEST_BACKOFF_JITTER" => "0",
        _ => null,
    };

    [Fact]
    public void I_can_print_options_without_their_secrets()
    {
        // Arrange
        var options = MlflowClientOptions.FromEnvironment(Environment("https://bob:uri-pass@mlflow.example.com/"))!;

        // Act
        var text = options.ToString();

        // Assert
        Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
        Assert.DoesNotContain("uri-pass", text, StringComparison.Ordinal);
        Assert.Contains("Password = ***", text, StringComparison.Ordinal);
        Assert.Contains("mlflow.example.com", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task I_can_authenticate_with_basic_auth_which_wins_over_the_token_and_with_the_token_alone()
    {
        // Arrange
        using var basic = new MlflowClient(MlflowClientOptions.FromEnvironment(Environment(_server.BaseUri.ToString()))!);
        using var bearer = new MlflowClient(MlflowClientOptions.FromEnvironment(Environment(_server.BaseUri.ToString(), withBasic: false))!);

        // Act
        await basic.GetExperimentByNameAsync("x");
        await bearer.GetExperimentByNameAsync("x");

        // Assert
        var headers = _server.AuthorizationHeaders.ToList();
        Assert.Equal("Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("alice:" + Password)), headers[0]);
        Assert.Equal("Bearer " + Token, headers[1]);
    }

    [Fact]
    public async Task I_get_errors_and_logs_that_never_show_the_password_or_token()
    {
        // Arrange
        _server.RequiredAuthorization = "Bearer something-else";
        var logger = new CollectingLogger();
        using var client = new MlflowClient(MlflowClientOptions.FromEnvironment(Environment(_server.BaseUri.ToString()))!, logger);

        // Act
        var unauthorized = await Assert.ThrowsAnyAsync<MlflowApiException>(() => client.GetRunAsync("r"));
        _server.RequiredAuthorization = null;
        _server.FailNextRequests(5);
        var unavailable = await Assert.ThrowsAnyAsync<MlflowApiException>(() => client.GetRunAsync("r"));
        _server.FailNextRequests(0);

        // Assert
        Assert.Equal(401, unauthorized.StatusCode);
        Assert.Equal("UNAUTHENTICATED", unauthorized.ErrorCode);
        Assert.NotEmpty(logger.Lines);
        var everything = string.Join('\n', logger.Lines) + unauthorized + unavailable + client.Options;
        Assert.DoesNotContain(Password, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("alice:" + Password)), everything, StringComparison.Ordinal);
    }

    [Fact]
    public void I_get_the_local_registry_without_a_tracking_uri_and_a_clear_error_for_an_unsupported_one()
    {
        // Arrange
        using var temp = new TempDirectory();

        // Act
        using var local = MlflowClients.FromEnvironment(temp.Combine("mlruns"), getVariable: _ => null);
        var error = Assert.Throws<Errors.PipelineException>(() => MlflowClientOptions.FromEnvironment(n => n == "MLFLOW_TRACKING_URI" ? "sqlite:///mlflow.db" : null));

        // Assert
        Assert.IsType<LocalRegistry>(local);
        Assert.Contains("http(s)", error.Message, StringComparison.Ordinal);
    }
}
