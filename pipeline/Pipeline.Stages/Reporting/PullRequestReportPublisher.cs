using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Octokit;

namespace Pipeline.Stages.Reporting;

/// <summary>What <see cref="PullRequestReportPublisher.PublishAsync"/> did.</summary>
/// <param name="CommentId">The comment's id.</param>
/// <param name="HtmlUrl">Where reviewers see it.</param>
/// <param name="Created">True when a new comment was created, false when the existing one was updated.</param>
public sealed record PublishedComment(long CommentId, string HtmlUrl, bool Created);

/// <summary>
/// Posts the evaluation report on a pull request as one sticky comment: the first publish
/// creates it, later ones update it in place. The comment is found by <see cref="Marker"/>, a
/// hidden HTML comment, so it survives edits to the report's text. Images are never uploaded
/// anywhere: charts go in the workflow artifact and the job summary.
/// </summary>
public sealed partial class PullRequestReportPublisher
{
    /// <summary>The hidden marker that identifies the report's comment.</summary>
    public const string Marker = "<!-- pipeline-report -->";

    /// <summary>GitHub refuses comment bodies longer than this.</summary>
    public const int MaxCommentLength = 65_536;

    private readonly PullRequestReportOptions _options;
    private readonly ILogger _logger;
    private readonly GitHubClient _client;

    /// <summary>Prepares a publisher for the pull request named in <paramref name="options"/>.</summary>
    public PullRequestReportPublisher(PullRequestReportOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _logger = logger;
        _client = new GitHubClient(new ProductHeaderValue("fine-tune-pipeline"), options.ApiBaseUrl)
        {
            Credentials = new Credentials(options.Token),
        };
    }

    /// <summary>Creates the report comment, or updates it when a comment with <see cref="Marker"/> exists.</summary>
    /// <exception cref="ReportPublishException">GitHub refused (token, permissions, unknown pull request); the message says how to fix it.</exception>
    public async Task<PublishedComment> PublishAsync(string markdown, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var parts = _options.Repository.Split('/');
        var (owner, name) = (parts[0], parts[1]);
        var body = Body(markdown);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var comments = await _client.Issue.Comment.GetAllForIssue(owner, name, _options.PullRequestNumber).ConfigureAwait(false);
            var existing = comments.FirstOrDefault(c => c.Body?.Contains(Marker, StringComparison.Ordinal) == true);
            cancellationToken.ThrowIfCancellationRequested();
            if (existing is null)
            {
                var created = await _client.Issue.Comment.Create(owner, name, _options.PullRequestNumber, body).ConfigureAwait(false);
                _logger.LogInformation("Posted the report on pull request #{Number}: {Url}", _options.PullRequestNumber, created.HtmlUrl);
                return new PublishedComment(created.Id, created.HtmlUrl, Created: true);
            }

            var updated = await _client.Issue.Comment.Update(owner, name, existing.Id, body).ConfigureAwait(false);
            _logger.LogInformation("Updated the report on pull request #{Number}: {Url}", _options.PullRequestNumber, updated.HtmlUrl);
            return new PublishedComment(updated.Id, updated.HtmlUrl, Created: false);
        }
        catch (AuthorizationException ex)
        {
            throw new ReportPublishException($"GitHub rejected the token (401: {ex.Message}). {PullRequestReportOptions.PermissionHint}", ex);
        }
        catch (RateLimitExceededException ex)
        {
            throw new ReportPublishException($"GitHub's API rate limit is exhausted until {ex.Reset:u}; rerun the PublishReport step later.", ex);
        }
        catch (ForbiddenException ex)
        {
            throw new ReportPublishException(
                $"GitHub refused to comment on {_options.Repository}#{_options.PullRequestNumber} (403: {ex.Message}). {PullRequestReportOptions.PermissionHint}", ex);
        }
        catch (NotFoundException ex)
        {
            throw new ReportPublishException(
                $"pull request {_options.Repository}#{_options.PullRequestNumber} was not found at {_options.ApiBaseUrl} (404). Check GITHUB_REPOSITORY, the number and GITHUB_API_URL; " +
                "a token without access to a private repository also gets 404.", ex);
        }
        catch (ApiException ex)
        {
            throw new ReportPublishException($"GitHub's API failed ({(int)ex.StatusCode}: {ex.Message}) posting the report on {_options.Repository}#{_options.PullRequestNumber}.", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new ReportPublishException($"cannot reach GitHub's API at {_options.ApiBaseUrl} ({ex.Message}). Check GITHUB_API_URL and the runner's network.", ex);
        }
    }

    /// <summary>
    /// Reads the report at <paramref name="reportPath"/> and publishes it with the settings GitHub
    /// Actions provides (<see cref="PullRequestReportOptions.FromEnvironment"/>): the PublishReport target's body.
    /// </summary>
    /// <exception cref="ReportPublishException">The report is missing, or publishing failed; the message says why.</exception>
    public static Task<PublishedComment> PublishFileAsync(string reportPath, ILogger logger, int? pullRequestNumber = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reportPath);
        if (!File.Exists(reportPath))
        {
            throw new ReportPublishException($"cannot post the report: {Path.GetFullPath(reportPath)} does not exist. Run ./build.sh Evaluate first; it writes the report.");
        }

        var options = PullRequestReportOptions.FromEnvironment(pullRequestNumber: pullRequestNumber);
        return new PullRequestReportPublisher(options, logger).PublishAsync(File.ReadAllText(reportPath), cancellationToken);
    }

    /// <summary>
    /// The comment's body: the marker, then the report, cut to GitHub's limit with a note where it
    /// was cut. Images with relative paths (charts next to <c>report.md</c>) cannot show in a
    /// comment and are never uploaded elsewhere: they become a pointer to the run's artifacts.
    /// </summary>
    public static string Body(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var body = Marker + "\n" + LocalImage().Replace(markdown, m => $"_{(m.Groups["alt"].Value.Length > 0 ? m.Groups["alt"].Value : "Chart")}: `{m.Groups["path"].Value}` in the workflow run's artifacts and job summary._");
        if (body.Length <= MaxCommentLength)
        {
            return body;
        }

        const string Note = "\n\n_The report was cut to fit a comment; the full report is in the workflow run's artifacts and job summary._\n";
        return body[..(MaxCommentLength - Note.Length)] + Note;
    }

    [GeneratedRegex(@"!\[(?<alt>[^\]]*)\]\((?<path>(?![a-zA-Z][a-zA-Z0-9+.-]*:)[^)\s]+)\)")]
    private static partial Regex LocalImage();
}
