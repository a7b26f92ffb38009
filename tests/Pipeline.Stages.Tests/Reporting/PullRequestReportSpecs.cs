using Pipeline.Stages.Reporting;
using Pipeline.Stages.Tests.Support;

namespace Pipeline.Stages.Tests.Reporting;

public sealed class PullRequestReportSpecs : IAsyncLifetime
{
    private readonly ListLogger _log = new();
    private FakeGitHubApi _api = null!;

    public async Task InitializeAsync() => _api = await FakeGitHubApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private PullRequestReportPublisher Publisher(string? token = null) => new(
        new PullRequestReportOptions { Repository = "acme/intents", PullRequestNumber = 42, Token = token ?? _api.Token, ApiBaseUrl = _api.BaseUrl },
        _log);

    [Fact]
    public async Task I_can_publish_twice_and_get_one_sticky_comment_created_then_updated()
    {
        // Arrange
        _api.AddHumanComment(42, "Looks good to me");
        var publisher = Publisher();

        // Act
        var first = await publisher.PublishAsync("## Evaluation\nmacro F1 0.91");
        var second = await publisher.PublishAsync("## Evaluation\nmacro F1 0.93");

        // Assert
        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.CommentId, second.CommentId);
        var ours = Assert.Single(_api.Comments.Values, c => c.Body.Contains(PullRequestReportPublisher.Marker, StringComparison.Ordinal));
        Assert.Equal(42, ours.Issue);
        Assert.EndsWith("macro F1 0.93", ours.Body, StringComparison.Ordinal);
        Assert.Contains(_api.Comments.Values, c => c.Body == "Looks good to me");
        Assert.Equal(1, _api.Calls.Count(c => c.StartsWith("POST", StringComparison.Ordinal)));
        Assert.Equal(1, _api.Calls.Count(c => c.StartsWith("PATCH", StringComparison.Ordinal)));
        Assert.Contains(_log.Lines, l => l.Contains("Updated the report on pull request #42", StringComparison.Ordinal));
    }

    [Fact]
    public async Task I_get_a_clear_message_with_the_permissions_hint_if_the_token_may_not_comment()
    {
        // Arrange
        _api.Forbid = true;

        // Act
        var error = await Assert.ThrowsAsync<ReportPublishException>(() => Publisher().PublishAsync("report"));

        // Assert
        Assert.Contains("403", error.Message, StringComparison.Ordinal);
        Assert.Contains("Resource not accessible by integration", error.Message, StringComparison.Ordinal);
        Assert.Contains("permissions: pull-requests: write", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_api.Token, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task I_get_a_clear_message_if_the_token_is_rejected()
    {
        // Act
        var error = await Assert.ThrowsAsync<ReportPublishException>(() => Publisher(token: "ghs_wrong").PublishAsync("report"));

        // Assert
        Assert.Contains("rejected the token (401", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ghs_wrong", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void I_get_a_clear_message_if_GITHUB_TOKEN_is_missing()
    {
        // Arrange
        var environment = new Dictionary<string, string> { ["GITHUB_REPOSITORY"] = "acme/intents" };

        // Act
        var error = Assert.Throws<ReportPublishException>(() => PullRequestReportOptions.FromEnvironment(environment.GetValueOrDefault, 7));

        // Assert
        Assert.Equal("cannot post the report: GITHUB_TOKEN is not set. " + PullRequestReportOptions.PermissionHint, error.Message);
    }

    [Fact]
    public void I_can_take_the_pull_request_number_and_api_url_from_the_github_actions_environment()
    {
        // Arrange
        using var folder = new TempFolder();
        var eventPath = folder.Write("event.json", "{\"action\":\"synchronize\",\"number\":17,\"pull_request\":{\"number\":17}}");
        var environment = new Dictionary<string, string>
        {
            ["GITHUB_TOKEN"] = "t",
            ["GITHUB_REPOSITORY"] = "acme/intents",
            ["GITHUB_EVENT_PATH"] = eventPath,
            ["GITHUB_API_URL"] = "https://ghe.example.com/api/v3",
        };

        // Act
        var options = PullRequestReportOptions.FromEnvironment(environment.GetValueOrDefault);
        var pushEvent = folder.Write("push.json", "{\"ref\":\"refs/heads/main\"}");
        environment["GITHUB_EVENT_PATH"] = pushEvent;
        var error = Assert.Throws<ReportPublishException>(() => PullRequestReportOptions.FromEnvironment(environment.GetValueOrDefault));

        // Assert
        Assert.Equal(17, options.PullRequestNumber);
        Assert.Equal(new Uri("https://ghe.example.com/api/v3/"), options.ApiBaseUrl);
        Assert.Contains("pass the number (--pr 123)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void I_can_publish_a_huge_report_and_it_is_cut_to_githubs_limit_with_a_note()
    {
        // Act
        var body = PullRequestReportPublisher.Body(new string('x', 100_000));

        // Assert
        Assert.Equal(PullRequestReportPublisher.MaxCommentLength, body.Length);
        Assert.StartsWith(PullRequestReportPublisher.Marker, body, StringComparison.Ordinal);
        Assert.Contains("full report is in the workflow run's artifacts", body, StringComparison.Ordinal);
    }

    [Fact]
    public void I_can_publish_a_report_with_local_charts_and_they_point_to_the_artifacts_instead_of_breaking()
    {
        // Act
        var body = PullRequestReportPublisher.Body("![Confusion matrix](evaluate/confusion.png)\n![](https://example.com/x.png)");

        // Assert
        Assert.Contains("_Confusion matrix: `evaluate/confusion.png` in the workflow run's artifacts and job summary._", body, StringComparison.Ordinal);
        Assert.Contains("![](https://example.com/x.png)", body, StringComparison.Ordinal);
    }
}
