using System.Net;
using Tollgate.Host.Tests.Support;

namespace Tollgate.Host.Tests.CiIntegration;

/// <summary>GitHub failing: a 5xx is retried (GitHub does not redeliver a protection-rule webhook by itself), a 4xx is not.</summary>
public sealed class GitHubFaultTests : IAsyncLifetime
{
    private GitHubHost host = null!;
    private string sha = null!;

    public async Task InitializeAsync()
    {
        host = await GitHubHost.StartAsync();
        sha = CiRelease.NewSha();
        await CiRelease.RegisterMapAsync(host.Ci, "Live", sha);
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task A_5xx_once_on_the_review_is_retried_and_the_review_delivered_once()
    {
        host.GitHub.FailNext(GitHubEndpoint.DeploymentReview, HttpStatusCode.BadGateway);

        var response = await host.RequestDeploymentAsync("production", sha);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal([502, 204], host.GitHub.ReviewAttempts.Select(attempt => attempt.Status));
        var review = Assert.Single(host.GitHub.Reviews);
        Assert.Equal("rejected", review.Json().GetProperty("state").GetString());
        Assert.Equal(host.GitHub.ReviewAttempts[0].Body, review.Body);
        Assert.Equal(host.GitHub.ReviewAttempts[0].Authorization, review.Authorization);
    }

    [Fact]
    public async Task A_5xx_once_on_the_installation_token_is_retried()
    {
        host.GitHub.FailNext(GitHubEndpoint.AccessToken, HttpStatusCode.ServiceUnavailable);

        var response = await host.RequestDeploymentAsync("production", sha);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([503, 201], host.GitHub.TokenRequests.Select(request => request.Status));
        Assert.Single(host.GitHub.Reviews);
    }

    [Fact]
    public async Task A_5xx_three_times_gives_up_with_502_GITHUB_CALLBACK_FAILED()
    {
        for (var i = 0; i < 3; i++) host.GitHub.FailNext(GitHubEndpoint.DeploymentReview, HttpStatusCode.InternalServerError);

        var response = await host.RequestDeploymentAsync("production", sha);

        await response.AssertRefusedAsync(HttpStatusCode.BadGateway, "GITHUB_CALLBACK_FAILED");
        Assert.Equal([500, 500, 500], host.GitHub.ReviewAttempts.Select(attempt => attempt.Status));
        Assert.Empty(host.GitHub.Reviews);
    }

    [Fact]
    public async Task A_401_on_the_review_is_not_retried_and_answers_502_GITHUB_CALLBACK_FAILED()
    {
        host.GitHub.FailNext(GitHubEndpoint.DeploymentReview, HttpStatusCode.Unauthorized);

        var response = await host.RequestDeploymentAsync("production", sha);

        await response.AssertRefusedAsync(HttpStatusCode.BadGateway, "GITHUB_CALLBACK_FAILED");
        Assert.Contains("401", (await response.ReadJsonAsync()).GetProperty("message").GetString());
        Assert.Single(host.GitHub.ReviewAttempts);
    }

    [Fact]
    public async Task A_401_on_the_installation_token_is_not_retried_and_no_review_is_attempted()
    {
        host.GitHub.FailNext(GitHubEndpoint.AccessToken, HttpStatusCode.Unauthorized);

        var response = await host.RequestDeploymentAsync("production", sha);

        await response.AssertRefusedAsync(HttpStatusCode.BadGateway, "GITHUB_CALLBACK_FAILED");
        Assert.Single(host.GitHub.TokenRequests);
        Assert.Empty(host.GitHub.ReviewAttempts);
    }

    [Fact]
    public async Task The_502_answer_carries_neither_the_JWT_nor_the_installation_token()
    {
        host.GitHub.FailNext(GitHubEndpoint.DeploymentReview, HttpStatusCode.Forbidden);

        var response = await host.RequestDeploymentAsync("production", sha);

        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.DoesNotContain(FakeGitHub.TokenPrefix, text);
        Assert.DoesNotContain("eyJ", text);
        Assert.DoesNotContain(FakeGitHub.TokenPrefix, host.Host.Logs.All);
    }
}
