using System.Globalization;
using System.Text.Json;

namespace Pipeline.Stages.Reporting;

/// <summary>Where and as whom the report is posted. Immutable; <see cref="FromEnvironment"/> reads what GitHub Actions sets.</summary>
public sealed record PullRequestReportOptions
{
    /// <summary>The hint every permission error carries.</summary>
    public const string PermissionHint =
        "The workflow job needs 'permissions: pull-requests: write' and GITHUB_TOKEN passed in its env (env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}).";

    /// <summary>The repository as <c>owner/name</c> (<c>GITHUB_REPOSITORY</c>).</summary>
    public required string Repository { get; init; }

    /// <summary>The pull request's number; at least 1.</summary>
    public required int PullRequestNumber { get; init; }

    /// <summary>The token (<c>GITHUB_TOKEN</c>). Never logged.</summary>
    public required string Token { get; init; }

    /// <summary>The REST API's base URL (<c>GITHUB_API_URL</c>). Default: <c>https://api.github.com/</c>; GitHub Enterprise: <c>https://HOST/api/v3</c>.</summary>
    public Uri ApiBaseUrl { get; init; } = new("https://api.github.com/");

    /// <summary>
    /// Reads <c>GITHUB_TOKEN</c>, <c>GITHUB_REPOSITORY</c>, <c>GITHUB_API_URL</c> and the pull
    /// request's number from <paramref name="pullRequestNumber"/> or <c>GITHUB_EVENT_PATH</c>'s
    /// <c>pull_request.number</c>.
    /// </summary>
    /// <exception cref="ReportPublishException">Something is missing; the message names it and how to provide it.</exception>
    public static PullRequestReportOptions FromEnvironment(Func<string, string?>? environment = null, int? pullRequestNumber = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var token = environment("GITHUB_TOKEN");
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new ReportPublishException("cannot post the report: GITHUB_TOKEN is not set. " + PermissionHint);
        }

        var repository = environment("GITHUB_REPOSITORY");
        if (string.IsNullOrWhiteSpace(repository) || repository.Split('/').Length != 2)
        {
            throw new ReportPublishException(
                $"cannot post the report: GITHUB_REPOSITORY is '{repository}', expected 'owner/name'. GitHub Actions sets it; elsewhere set it yourself.");
        }

        var number = pullRequestNumber ?? NumberFromEvent(environment("GITHUB_EVENT_PATH"));
        var apiUrl = environment("GITHUB_API_URL");
        return new PullRequestReportOptions
        {
            Repository = repository,
            PullRequestNumber = number,
            Token = token,
            ApiBaseUrl = string.IsNullOrWhiteSpace(apiUrl) ? new Uri("https://api.github.com/") : new Uri(apiUrl.TrimEnd('/') + "/"),
        };
    }

    private static int NumberFromEvent(string? eventPath)
    {
        const string Fix = "Run it on a pull_request event or pass the number (--pr 123).";
        if (string.IsNullOrWhiteSpace(eventPath) || !File.Exists(eventPath))
        {
            throw new ReportPublishException($"cannot post the report: no pull request number (GITHUB_EVENT_PATH is '{eventPath}'). {Fix}");
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(eventPath));
            if (document.RootElement.TryGetProperty("pull_request", out var pullRequest)
                && pullRequest.TryGetProperty("number", out var number) && number.TryGetInt32(out var value))
            {
                return value;
            }
        }
        catch (JsonException ex)
        {
            throw new ReportPublishException($"cannot post the report: {eventPath} is not valid JSON ({ex.Message}). {Fix}", ex);
        }

        throw new ReportPublishException(
            string.Create(CultureInfo.InvariantCulture, $"cannot post the report: {eventPath} has no pull_request.number, so this is not a pull request event. {Fix}"));
    }
}
