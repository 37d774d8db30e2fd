using System.Net;
using Tollgate.Host.Tests.Support;

namespace Tollgate.Host.Tests.CiIntegration;

/// <summary>A webhook that does not prove itself with the shared secret changes nothing but the ledger's record of the refusal.</summary>
public sealed class WebhookSignatureTests : IAsyncLifetime
{
    private GitHubHost host = null!;

    public async Task InitializeAsync() => host = await GitHubHost.StartAsync();

    public async Task DisposeAsync() => await host.DisposeAsync();

    public enum Forgery { Missing, OtherSecret, BodyChanged, Sha1Prefix, UppercaseHex, Empty }

    [Theory]
    [InlineData(Forgery.Missing)]
    [InlineData(Forgery.OtherSecret)]
    [InlineData(Forgery.BodyChanged)]
    [InlineData(Forgery.Sha1Prefix)]
    [InlineData(Forgery.UppercaseHex)]
    [InlineData(Forgery.Empty)]
    public async Task A_webhook_without_a_valid_signature_is_refused_401_and_recorded_and_nothing_else_happens(Forgery forgery)
    {
        var sha = CiRelease.NewSha();
        await CiRelease.RegisterMapAsync(host.Ci, "Live", sha);
        var body = GitHubWebhook.ProtectionRule("production", sha, host.GitHub.CallbackUrl());
        var valid = GitHubWebhook.Signature(body, host.WebhookSecret);
        var signature = forgery switch
        {
            Forgery.Missing => null,
            Forgery.OtherSecret => GitHubWebhook.Signature(body, "whsec-not-the-one-tollgate-has"),
            Forgery.BodyChanged => GitHubWebhook.Signature(body.Replace("\"push\"", "\"pull\""), host.WebhookSecret),
            Forgery.Sha1Prefix => "sha1=" + valid["sha256=".Length..],
            Forgery.UppercaseHex => "sha256=" + valid["sha256=".Length..].ToUpperInvariant(),
            _ => "",
        };
        var before = await host.LedgerAsync();

        var response = await host.DeliverAsync("deployment_protection_rule", body, signature);

        await response.AssertRefusedAsync(HttpStatusCode.Unauthorized, "AUTH_WEBHOOK_SIGNATURE");
        Assert.Empty(host.GitHub.Calls);
        var added = (await host.LedgerAsync()).Skip(before.Count).ToList();
        var denied = Assert.Single(added);
        Assert.Equal("access_denied", denied.GetProperty("kind").GetString());
        Assert.Equal("anonymous", denied.GetProperty("actor").GetString());
        var payload = denied.GetProperty("payload");
        Assert.Equal("AUTH_WEBHOOK_SIGNATURE", payload.GetProperty("reason_code").GetString());
        Assert.Equal("GitHubDeploymentProtection", payload.GetProperty("action").GetString());
        Assert.Equal($"POST {GitHubWebhook.Route}", payload.GetProperty("route").GetString());
        Assert.Equal("401", payload.GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_unsigned_ping_is_refused_like_any_other_event()
    {
        var response = await host.DeliverAsync("ping", GitHubWebhook.Ping(), null);

        await response.AssertRefusedAsync(HttpStatusCode.Unauthorized, "AUTH_WEBHOOK_SIGNATURE");
    }

    [Fact]
    public async Task Without_a_webhook_secret_configured_every_delivery_is_refused()
    {
        await using var unconfigured = await GitHubHost.StartAsync(configure: factory => factory.With("Tollgate:GitHub:WebhookSecret", null));
        var body = GitHubWebhook.ProtectionRule("production", CiRelease.NewSha(), unconfigured.GitHub.CallbackUrl());

        var response = await unconfigured.DeliverAsync("deployment_protection_rule", body);

        await response.AssertRefusedAsync(HttpStatusCode.Unauthorized, "AUTH_WEBHOOK_SIGNATURE");
        Assert.Empty(unconfigured.GitHub.Calls);
        Assert.Empty((await unconfigured.LedgerAsync()).OfKind("gate_result"));
    }

    [Fact]
    public async Task A_host_without_a_GitHub_App_answers_404_and_calls_nobody()
    {
        await using var plain = new HostFactory();
        var response = await plain.Anonymous().SendAsync(GitHubWebhook.Delivery("ping", GitHubWebhook.Ping(), GitHubWebhook.Signature(GitHubWebhook.Ping(), "x")));

        await response.AssertRefusedAsync(HttpStatusCode.NotFound, "GOV_INVALID_REQUEST");
    }
}
