using System.Net;
using System.Text.Json;
using Tollgate.Host.Tests.Support;

namespace Tollgate.Host.Tests.CiIntegration;

/// <summary>The GitHub deployment protection rule end to end: a signed webhook, the four gates, the review on GitHub's callback.</summary>
public sealed class GitHubProtectionRuleTests : IAsyncLifetime
{
    private GitHubHost host = null!;

    public async Task InitializeAsync() => host = await GitHubHost.StartAsync();

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task A_commit_whose_gates_cannot_all_pass_is_rejected_on_the_callback_with_each_gates_verdict_and_reason_codes()
    {
        var sha = CiRelease.NewSha();
        var mapId = await CiRelease.RegisterMapAsync(host.Ci, "Live", sha, storeObjects: false);

        var response = await host.RequestDeploymentAsync("production", sha);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var answer = await response.ReadJsonAsync();
        Assert.Equal("rejected", answer.GetProperty("state").GetString());
        var review = Assert.Single(host.GitHub.Reviews);
        Assert.Equal("/repos/octo/shop/actions/runs/1/deployment_protection_rule", review.Path);
        var body = review.Json();
        Assert.Equal("production", body.GetProperty("environment_name").GetString());
        Assert.Equal("rejected", body.GetProperty("state").GetString());
        var comment = body.GetProperty("comment").GetString()!;
        Assert.Equal(answer.GetProperty("comment").GetString(), comment);
        Assert.StartsWith($"Tollgate VETO for {sha[..12]} on Live: ", comment);
        Assert.Contains("VERSION_AUDIT RETURN (GOV-DOCINDEX-MISSING) [eval-VERSION_AUDIT-", comment);
        Assert.Contains("RISK_COMPLIANCE VETO (RISK-POLICY-UNLOCATABLE, RISK-RULEBOOK-MISSING, RISK-REASON-CODES-UNDECLARED) [eval-RISK_COMPLIANCE-", comment);
        Assert.Contains("EXECUTION_CONTROL RETURN (EXE-CHANNEL-OFF, EXE-IDEMPOTENCY-OFF, EXE-RECON-OFF) [eval-EXECUTION_CONTROL-", comment);
        Assert.Contains("UI_SPEC RETURN (UI-TRACE-NOT-BUILT, UI-CONSOLE-NOT-BUILT) [eval-UI_SPEC-", comment);

        // Each gate was evaluated for the commit with the map CI registered for it, and each evaluation named in the comment.
        var evaluations = answer.GetProperty("evaluations").EnumerateArray().ToList();
        Assert.Equal(["VERSION_AUDIT", "RISK_COMPLIANCE", "EXECUTION_CONTROL", "UI_SPEC"], evaluations.Select(e => e.GetProperty("gate").GetString()));
        Assert.All(evaluations, evaluation =>
        {
            Assert.Equal(sha, evaluation.GetProperty("release_id").GetString());
            Assert.Equal(mapId, evaluation.GetProperty("version_map_id").GetString());
            Assert.Equal("Live", evaluation.GetProperty("environment").GetString());
            Assert.Equal($"github-app:{FakeGitHub.AppId}", evaluation.GetProperty("evaluated_by").GetString());
            Assert.Contains($"[{evaluation.GetProperty("evaluation_id").GetString()}]", comment);
        });
    }

    [Fact]
    public async Task The_review_is_authenticated_with_the_installation_token_obtained_with_the_apps_JWT()
    {
        var sha = CiRelease.NewSha();
        await CiRelease.RegisterMapAsync(host.Ci, "Live", sha);

        Assert.Equal(HttpStatusCode.OK, (await host.RequestDeploymentAsync("production", sha)).StatusCode);

        // The fake GitHub verified the JWT (RS256 with the app's key, iss = the app id, exp within ten minutes) before issuing the token.
        var tokenRequest = Assert.Single(host.GitHub.TokenRequests);
        Assert.Equal($"/app/installations/{GitHubWebhook.InstallationId}/access_tokens", tokenRequest.Path);
        Assert.Equal(201, tokenRequest.Status);
        Assert.Equal("2022-11-28", tokenRequest.ApiVersion);
        Assert.False(string.IsNullOrEmpty(tokenRequest.UserAgent));
        var review = Assert.Single(host.GitHub.Reviews);
        Assert.StartsWith($"Bearer {FakeGitHub.TokenPrefix}{GitHubWebhook.InstallationId}_", review.Authorization);
        Assert.Contains(review.Authorization!["Bearer ".Length..], host.GitHub.IssuedTokens);
        Assert.Equal("2022-11-28", review.ApiVersion);
    }

    [Fact]
    public async Task Every_gate_that_CI_can_make_pass_passes_and_the_deployment_is_still_rejected_because_two_gates_are_not_evaluable()
    {
        var sha = CiRelease.NewSha();
        var mapId = await CiRelease.RegisterMapAsync(host.Ci, "Live", sha);
        // CI's own evaluation, with the document index and veto codes: the best verdict reachable today.
        var ci = await (await host.Ci.PostAsync("/api/gates/evaluations", Support.Api.Json(CiRelease.GateBody("Live", sha, mapId)))).ReadJsonAsync();
        Assert.Equal("RETURN", ci.GetProperty("verdict").GetString());
        var gates = ci.GetProperty("gates").EnumerateArray().ToDictionary(g => g.GetProperty("gate").GetString()!, g => g);
        Assert.Equal("PASS", gates["VERSION_AUDIT"].GetProperty("verdict").GetString());
        Assert.Equal("PASS", gates["RISK_COMPLIANCE"].GetProperty("verdict").GetString());
        Assert.Equal("RETURN", gates["EXECUTION_CONTROL"].GetProperty("verdict").GetString());
        Assert.Equal("RETURN", gates["UI_SPEC"].GetProperty("verdict").GetString());
        Assert.Equal(["PASS", "NOT_EVALUABLE", "NOT_EVALUABLE", "PASS", "NOT_EVALUABLE"], CheckVerdicts(gates["EXECUTION_CONTROL"]));
        Assert.Equal(["PASS", "PASS", "NOT_EVALUABLE", "NOT_EVALUABLE"], CheckVerdicts(gates["UI_SPEC"]));

        var response = await host.RequestDeploymentAsync("production", sha);

        Assert.Equal("rejected", (await response.ReadJsonAsync()).GetProperty("state").GetString());
        var review = Assert.Single(host.GitHub.Reviews).Json();
        Assert.Equal("rejected", review.GetProperty("state").GetString());
        var comment = review.GetProperty("comment").GetString()!;
        Assert.StartsWith($"Tollgate RETURN for {sha[..12]} on Live: ", comment);
        Assert.Contains("EXECUTION_CONTROL RETURN (EXE-CHANNEL-OFF, EXE-IDEMPOTENCY-OFF, EXE-RECON-OFF)", comment);
        Assert.Contains("UI_SPEC RETURN (UI-TRACE-NOT-BUILT, UI-CONSOLE-NOT-BUILT)", comment);
        Assert.DoesNotContain(host.GitHub.ReviewAttempts, attempt => attempt.Body.Contains("\"approved\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_webhook_carries_no_document_index_or_veto_codes_so_VA_01_and_RC_03_return_even_after_CI_sent_them()
    {
        var sha = CiRelease.NewSha();
        var mapId = await CiRelease.RegisterMapAsync(host.Ci, "Live", sha);
        await host.Ci.PostAsync("/api/gates/evaluations", Support.Api.Json(CiRelease.GateBody("Live", sha, mapId)));

        var answer = await (await host.RequestDeploymentAsync("production", sha)).ReadJsonAsync();

        var byGate = answer.GetProperty("evaluations").EnumerateArray().ToDictionary(g => g.GetProperty("gate").GetString()!, g => g);
        Assert.Equal(["RETURN", "PASS", "PASS", "PASS"], CheckVerdicts(byGate["VERSION_AUDIT"]));
        Assert.Equal(["PASS", "PASS", "RETURN"], CheckVerdicts(byGate["RISK_COMPLIANCE"]));
        var comment = answer.GetProperty("comment").GetString()!;
        Assert.Contains("VERSION_AUDIT RETURN (GOV-DOCINDEX-MISSING)", comment);
        Assert.Contains("RISK_COMPLIANCE RETURN (RISK-REASON-CODES-UNDECLARED)", comment);
    }

    [Fact]
    public async Task A_commit_without_a_registered_map_is_rejected_naming_GOV_VMAP_MISSING()
    {
        var sha = CiRelease.NewSha();
        // A map for the same commit, but for Paper: it does not count for production, which is Live.
        await CiRelease.RegisterMapAsync(host.Ci, "Paper", sha);

        var answer = await (await host.RequestDeploymentAsync("production", sha)).ReadJsonAsync();

        Assert.Equal("rejected", answer.GetProperty("state").GetString());
        Assert.Contains("VERSION_AUDIT RETURN (GOV-DOCINDEX-MISSING, GOV-VMAP-MISSING, GOV-CHANGE-LEDGER-MISSING)", answer.GetProperty("comment").GetString());
        Assert.All(answer.GetProperty("evaluations").EnumerateArray(), e => Assert.Equal(JsonValueKind.Null, e.GetProperty("version_map_id").ValueKind));
        Assert.Equal("rejected", Assert.Single(host.GitHub.Reviews).Json().GetProperty("state").GetString());
    }

    [Fact]
    public async Task An_environment_Tollgate_does_not_map_is_rejected_with_a_comment_saying_so_and_no_gate_is_evaluated()
    {
        var sha = CiRelease.NewSha();
        await CiRelease.RegisterMapAsync(host.Ci, "Live", sha);

        var response = await host.RequestDeploymentAsync("staging", sha);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var review = Assert.Single(host.GitHub.Reviews).Json();
        Assert.Equal("staging", review.GetProperty("environment_name").GetString());
        Assert.Equal("rejected", review.GetProperty("state").GetString());
        Assert.Equal("Tollgate does not govern the GitHub environment 'staging'; map it in Tollgate:GitHub:Environments.", review.GetProperty("comment").GetString());
        Assert.Empty((await host.LedgerAsync()).OfKind("gate_result"));
    }

    [Fact]
    public async Task Environment_names_are_matched_exactly_so_Production_is_not_production()
    {
        var sha = CiRelease.NewSha();

        await host.RequestDeploymentAsync("Production", sha);

        var review = Assert.Single(host.GitHub.Reviews).Json();
        Assert.Equal("rejected", review.GetProperty("state").GetString());
        Assert.Contains("does not govern the GitHub environment 'Production'", review.GetProperty("comment").GetString());
    }

    [Fact]
    public async Task Every_evaluation_of_the_webhook_is_a_gate_result_entry_by_the_GitHub_App()
    {
        var sha = CiRelease.NewSha();
        var mapId = await CiRelease.RegisterMapAsync(host.Ci, "Live", sha);

        await host.RequestDeploymentAsync("production", sha);

        var results = (await host.LedgerAsync()).OfKind("gate_result").ToList();
        Assert.Equal(4, results.Count);
        Assert.All(results, entry =>
        {
            Assert.Equal($"github-app:{FakeGitHub.AppId}", entry.GetProperty("actor").GetString());
            Assert.Equal(sha, entry.GetProperty("correlation_id").GetString());
            Assert.Equal("Live", entry.GetProperty("environment").GetString());
            Assert.Equal(mapId, entry.GetProperty("payload").GetProperty("version_map_id").GetString());
        });
    }

    [Fact]
    public async Task Each_evaluation_the_comment_names_can_be_read_back_from_the_gates_API()
    {
        var sha = CiRelease.NewSha();
        await CiRelease.RegisterMapAsync(host.Ci, "Live", sha);

        await host.RequestDeploymentAsync("production", sha);

        var comment = Assert.Single(host.GitHub.Reviews).Json().GetProperty("comment").GetString()!;
        var named = System.Text.RegularExpressions.Regex.Matches(comment, @"\[(eval-([A-Z_]+)-[0-9a-f]{16}-[0-9]{19}[0-9a-f]{8})\]").ToList();
        Assert.Equal(4, named.Count);
        foreach (var match in named)
        {
            var response = await host.Ci.GetAsync($"/api/gates/{match.Groups[2].Value}/evaluations/{match.Groups[1].Value}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var evaluation = await response.ReadJsonAsync();
            Assert.Equal(sha, evaluation.GetProperty("release_id").GetString());
            Assert.Contains($"{match.Groups[2].Value} {evaluation.GetProperty("verdict").GetString()}", comment);
        }
    }

    [Fact]
    public async Task The_newest_map_registered_for_the_commit_is_the_one_evaluated()
    {
        var sha = CiRelease.NewSha();
        var first = await CiRelease.RegisterMapAsync(host.Ci, "Live", sha, config: "config-12");
        var second = await CiRelease.RegisterMapAsync(host.Ci, "Live", sha, config: "config-13");
        Assert.NotEqual(first, second);

        var answer = await (await host.RequestDeploymentAsync("production", sha)).ReadJsonAsync();

        Assert.All(answer.GetProperty("evaluations").EnumerateArray(), e => Assert.Equal(second, e.GetProperty("version_map_id").GetString()));
    }

    [Fact]
    public async Task Deliveries_for_several_jobs_of_one_commit_at_once_are_each_evaluated_and_reviewed()
    {
        var sha = CiRelease.NewSha();
        await CiRelease.RegisterMapAsync(host.Ci, "Live", sha);

        var responses = await Task.WhenAll(Enumerable.Range(1, 6).Select(run =>
            host.DeliverAsync("deployment_protection_rule", GitHubWebhook.ProtectionRule("production", sha, host.GitHub.CallbackUrl(run)))));

        foreach (var response in responses) Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var reviews = host.GitHub.Reviews;
        Assert.Equal(Enumerable.Range(1, 6).Select(run => $"/repos/octo/shop/actions/runs/{run}/deployment_protection_rule"), reviews.Select(r => r.Path).Order());
        Assert.All(reviews, review => Assert.Equal("rejected", review.Json().GetProperty("state").GetString()));
        // Each review names four evaluations of its own, and each is in the ledger.
        var recorded = (await host.LedgerAsync()).OfKind("gate_result")
            .Select(entry => entry.GetProperty("payload").GetProperty("evaluation_id").GetString()!).ToList();
        var named = reviews.SelectMany(review => System.Text.RegularExpressions.Regex.Matches(review.Json().GetProperty("comment").GetString()!, @"\[(eval-[^\]]+)\]")
            .Select(match => match.Groups[1].Value)).ToList();
        Assert.Equal(24, named.Distinct().Count());
        Assert.Equal(named.Order(), recorded.Order());
    }

    private static List<string> CheckVerdicts(JsonElement evaluation) =>
        [.. evaluation.GetProperty("checks").EnumerateArray().Select(check => check.GetProperty("verdict").GetString()!)];
}
