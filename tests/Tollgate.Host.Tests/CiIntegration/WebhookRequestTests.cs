using System.Net;
using Tollgate.Host.Tests.Support;

namespace Tollgate.Host.Tests.CiIntegration;

/// <summary>Signed deliveries that are not a deployment to review: ping, other events and actions, a callback Tollgate will not call.</summary>
public sealed class WebhookRequestTests : IAsyncLifetime
{
    private GitHubHost host = null!;

    public async Task InitializeAsync() => host = await GitHubHost.StartAsync();

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task A_signed_ping_answers_200_and_evaluates_nothing()
    {
        var response = await host.DeliverAsync("ping", GitHubWebhook.Ping());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("pong").GetBoolean());
        Assert.Empty(host.GitHub.Calls);
        Assert.Empty((await host.LedgerAsync()).OfKind("gate_result"));
    }

    [Fact]
    public async Task An_action_other_than_requested_is_refused_400_and_nothing_is_reviewed()
    {
        var body = GitHubWebhook.ProtectionRule("production", CiRelease.NewSha(), host.GitHub.CallbackUrl(), action: "completed");

        var response = await host.DeliverAsync("deployment_protection_rule", body);

        await response.AssertRefusedAsync(HttpStatusCode.BadRequest, "GOV_INVALID_REQUEST");
        Assert.Empty(host.GitHub.Calls);
        Assert.Empty((await host.LedgerAsync()).OfKind("gate_result"));
    }

    [Theory]
    [InlineData("push")]
    [InlineData("deployment")]
    [InlineData("")]
    public async Task Another_event_is_refused_400(string eventName)
    {
        var body = GitHubWebhook.ProtectionRule("production", CiRelease.NewSha(), host.GitHub.CallbackUrl());

        var response = await host.DeliverAsync(eventName, body);

        await response.AssertRefusedAsync(HttpStatusCode.BadRequest, "GOV_INVALID_REQUEST");
        Assert.Empty(host.GitHub.Calls);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("not json")]
    [InlineData("""{"action":"requested","environment":"production","deployment":{"sha":"not-a-sha"},"installation":{"id":1},"deployment_callback_url":"http://127.0.0.1/x"}""")]
    [InlineData("""{"action":"requested","environment":"production","deployment":{"sha":"0123456789abcdef0123456789abcdef01234567"},"installation":{"id":"one"},"deployment_callback_url":"http://127.0.0.1/x"}""")]
    [InlineData("""{"action":"requested","environment":"production","deployment":{"sha":"0123456789abcdef0123456789abcdef01234567"},"installation":{"id":1},"deployment_callback_url":"not a url"}""")]
    public async Task A_signed_body_that_is_not_a_protection_rule_payload_is_refused_400(string body)
    {
        var response = await host.DeliverAsync("deployment_protection_rule", body);

        await response.AssertRefusedAsync(HttpStatusCode.BadRequest, "GOV_INVALID_REQUEST");
        Assert.Empty(host.GitHub.Calls);
        Assert.Empty((await host.LedgerAsync()).OfKind("gate_result"));
    }

    [Fact]
    public async Task A_callback_URL_on_another_host_answers_502_and_no_request_is_sent_there()
    {
        await using var elsewhere = await FakeGitHub.StartAsync();
        var sha = CiRelease.NewSha();
        await CiRelease.RegisterMapAsync(host.Ci, "Live", sha);
        var body = GitHubWebhook.ProtectionRule("production", sha, elsewhere.CallbackUrl());

        var response = await host.DeliverAsync("deployment_protection_rule", body);

        await response.AssertRefusedAsync(HttpStatusCode.BadGateway, "GITHUB_CALLBACK_FAILED");
        Assert.Empty(elsewhere.Calls);
        Assert.Empty(host.GitHub.Calls); // not even an installation token was asked for
    }

    [Theory]
    [InlineData("https://{authority}/repos/octo/shop/actions/runs/1/deployment_protection_rule")]
    [InlineData("http://localhost:{port}/repos/octo/shop/actions/runs/1/deployment_protection_rule")]
    [InlineData("http://{authority}@evil.example/repos/octo/shop/actions/runs/1/deployment_protection_rule")]
    public async Task A_callback_URL_that_differs_from_the_API_in_scheme_host_or_port_is_not_called(string template)
    {
        var api = host.GitHub.ApiUrl;
        var callback = template.Replace("{authority}", api.Authority).Replace("{port}", api.Port.ToString());
        var body = GitHubWebhook.ProtectionRule("production", CiRelease.NewSha(), callback);

        var response = await host.DeliverAsync("deployment_protection_rule", body);

        await response.AssertRefusedAsync(HttpStatusCode.BadGateway, "GITHUB_CALLBACK_FAILED");
        Assert.Empty(host.GitHub.Calls);
    }
}
