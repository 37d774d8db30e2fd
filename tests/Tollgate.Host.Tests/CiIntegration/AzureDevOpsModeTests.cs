using System.Net;
using System.Text.Json;
using Tollgate.Governance.Identity;
using Tollgate.Host.Tests.Ledger;
using Tollgate.Host.Tests.Support;

namespace Tollgate.Host.Tests.CiIntegration;

/// <summary>
/// The gates as Azure DevOps' "Invoke Azure Function" task calls them: <c>{function}?code={key}&amp;mode=azure-devops</c>,
/// completion event ApiResponse, which needs 200 and then applies <c>eq(root['verdict'], 'PASS')</c>.
/// </summary>
public sealed class AzureDevOpsModeTests : IAsyncLifetime
{
    private const string SuccessCriteria = "eq(root['verdict'], 'PASS')";
    private readonly HostFactory host = new();
    private HttpClient ci = null!;

    public async Task InitializeAsync()
    {
        ci = host.As("ci", Role.Pipeline);
        await LedgerApiTests.WaitForLedgerAsync(ci);
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    /// <summary>The URL AzureFunction@1 calls: EndpointUrl is <c>$(function)?code=$(key)&amp;$(queryParameters)</c>.</summary>
    private static string TaskUrl(string function, string query = "mode=azure-devops") => $"{function}?code=the-function-key&{query}";

    public enum Outcome { Pass, Veto, Return }

    /// <summary>A request for which <paramref name="outcome"/> is the verdict: (route, body).</summary>
    private async Task<(string Route, string Body)> RequestForAsync(Outcome outcome)
    {
        var sha = CiRelease.NewSha();
        return outcome switch
        {
            Outcome.Pass => ("/api/gates/VERSION_AUDIT/evaluations", CiRelease.GateBody("Paper", sha, await CiRelease.RegisterMapAsync(ci, "Paper", sha))),
            Outcome.Veto => ("/api/gates/RISK_COMPLIANCE/evaluations", CiRelease.GateBody("Paper", sha, null)),
            _ => ("/api/gates/EXECUTION_CONTROL/evaluations", CiRelease.GateBody("Paper", sha, null)),
        };
    }

    [Theory]
    [InlineData(Outcome.Pass, "PASS", true)]
    [InlineData(Outcome.Veto, "VETO", false)]
    [InlineData(Outcome.Return, "RETURN", false)]
    public async Task Azure_DevOps_mode_answers_200_with_the_verdict_at_the_root_and_only_PASS_meets_the_success_criteria(Outcome outcome, string verdict, bool taskPasses)
    {
        var (route, body) = await RequestForAsync(outcome);

        var response = await ci.PostAsync(TaskUrl(route), Support.Api.Json(body));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var answer = JsonDocument.Parse(text).RootElement;
        Assert.Equal(verdict, answer.GetProperty("verdict").GetString());
        Assert.Equal(JsonValueKind.Array, answer.GetProperty("checks").ValueKind);
        Assert.StartsWith("eval-", answer.GetProperty("evaluation_id").GetString());
        Assert.Equal(taskPasses, AdoSuccessCriteria.TaskPasses((int)response.StatusCode, text, SuccessCriteria));
    }

    [Theory]
    [InlineData(Outcome.Pass)]
    [InlineData(Outcome.Veto)]
    [InlineData(Outcome.Return)]
    public async Task The_default_mode_answers_201_with_the_same_body(Outcome outcome)
    {
        var (route, body) = await RequestForAsync(outcome);

        var created = await ci.PostAsync(route, Support.Api.Json(body));
        var ok = await ci.PostAsync(TaskUrl(route), Support.Api.Json(body));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var first = await created.ReadJsonAsync();
        var second = await ok.ReadJsonAsync();
        Assert.Equal(Names(first), Names(second));
        Assert.Equal(first.GetProperty("verdict").GetString(), second.GetProperty("verdict").GetString());
        Assert.Equal(first.GetProperty("checks").ToString(), second.GetProperty("checks").ToString());
        // Both are evaluations of their own.
        Assert.NotEqual(first.GetProperty("evaluation_id").GetString(), second.GetProperty("evaluation_id").GetString());
        Assert.NotEqual(first.GetProperty("ledger_index").GetInt64(), second.GetProperty("ledger_index").GetInt64());
        // A task that called without the mode would fail on the 201 even for a PASS.
        Assert.False(AdoSuccessCriteria.TaskPasses((int)created.StatusCode, first.ToString(), SuccessCriteria));
    }

    [Fact]
    public async Task All_four_gates_in_Azure_DevOps_mode_answer_200_with_the_combined_verdict_at_the_root()
    {
        var sha = CiRelease.NewSha();
        var mapId = await CiRelease.RegisterMapAsync(ci, "Paper", sha);

        var response = await ci.PostAsync(TaskUrl("/api/gates/evaluations"), Support.Api.Json(CiRelease.GateBody("Paper", sha, mapId)));

        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonDocument.Parse(text).RootElement;
        Assert.Equal("RETURN", answer.GetProperty("verdict").GetString());
        Assert.Equal(sha, answer.GetProperty("release_id").GetString());
        Assert.Equal(["PASS", "PASS", "RETURN", "RETURN"],
            answer.GetProperty("gates").EnumerateArray().Select(gate => gate.GetProperty("verdict").GetString()));
        Assert.False(AdoSuccessCriteria.TaskPasses(200, text, SuccessCriteria));
        Assert.Equal(HttpStatusCode.Created, (await ci.PostAsync("/api/gates/evaluations", Support.Api.Json(CiRelease.GateBody("Paper", sha, mapId)))).StatusCode);
    }

    public static TheoryData<string, string, string?, HttpStatusCode, string> BadRequests => new()
    {
        { "/api/gates/VERSION_AUDIT/evaluations", """{"environment":"Prod","release_id":"r1"}""", "ci", HttpStatusCode.BadRequest, "ENV_UNKNOWN" },
        { "/api/gates/VERSION_AUDIT/evaluations", """{"environment":"Paper"}""", "ci", HttpStatusCode.BadRequest, "GOV_INVALID_REQUEST" },
        { "/api/gates/VERSION_AUDIT/evaluations", """{"environment":"Paper","release_id":"r1","verdict":"PASS"}""", "ci", HttpStatusCode.BadRequest, "GOV_INVALID_REQUEST" },
        { "/api/gates/VERSION_AUDIT/evaluations", "{not json", "ci", HttpStatusCode.BadRequest, "GOV_INVALID_REQUEST" },
        { "/api/gates/NO_SUCH_GATE/evaluations", """{"environment":"Paper","release_id":"r1"}""", "ci", HttpStatusCode.NotFound, "GATE_UNKNOWN" },
        { "/api/gates/evaluations", """{"environment":"Paper","release_id":"r 1"}""", "ci", HttpStatusCode.BadRequest, "GOV_INVALID_REQUEST" },
        { "/api/gates/evaluations", """{"environment":"Paper","release_id":"r1"}""", null, HttpStatusCode.Unauthorized, "AUTH_TOKEN_MISSING" },
        { "/api/gates/evaluations", """{"environment":"Paper","release_id":"r1"}""", "auditor", HttpStatusCode.Forbidden, "AUTH_ROLE_DENIED" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_request_in_Azure_DevOps_mode_is_still_a_4xx_so_the_task_fails(string route, string body, string? caller, HttpStatusCode status, string reason)
    {
        var client = caller switch
        {
            null => host.Anonymous(),
            "auditor" => host.As("audrey", Role.Auditor),
            _ => ci,
        };

        var response = await client.PostAsync(TaskUrl(route), Support.Api.Json(body));

        var text = await response.Content.ReadAsStringAsync();
        await response.AssertRefusedAsync(status, reason);
        Assert.False(AdoSuccessCriteria.TaskPasses((int)response.StatusCode, text, SuccessCriteria));
    }

    [Theory]
    [InlineData("mode=azure")]
    [InlineData("mode=")]
    [InlineData("mode=azure-devops&mode=azure-devops")]
    public async Task An_unknown_mode_is_refused_400_and_nothing_is_evaluated(string query)
    {
        var sha = CiRelease.NewSha();

        var response = await ci.PostAsync(TaskUrl("/api/gates/EXECUTION_CONTROL/evaluations", query), Support.Api.Json(CiRelease.GateBody("Paper", sha, null)));

        await response.AssertRefusedAsync(HttpStatusCode.BadRequest, "GOV_INVALID_REQUEST");
        Assert.Empty((await CiRelease.LedgerEntriesAsync(ci)).OfKind("gate_result"));
    }

    [Theory]
    [InlineData("eq(root['verdict'], 'PASS')", """{"verdict":"PASS"}""", true)]
    [InlineData("eq(root['verdict'], 'PASS')", """{"verdict":"pass"}""", true)]
    [InlineData("eq(root['verdict'], 'PASS')", """{"verdict":"RETURN"}""", false)]
    [InlineData("eq(root['verdict'], 'PASS')", """{"gates":[]}""", false)]
    [InlineData("and(eq(root['verdict'], 'PASS'), ne(root['environment'], 'Live'))", """{"verdict":"PASS","environment":"Paper"}""", true)]
    [InlineData("not(eq(root['a']['b'], 'x'))", """{"a":{"b":"x"}}""", false)]
    public void The_success_criteria_evaluator_reads_conditions_as_Azure_Pipelines_does(string criteria, string body, bool expected)
    {
        Assert.Equal(expected, AdoSuccessCriteria.TaskPasses(200, body, criteria));
    }

    private static List<string> Names(JsonElement element) => [.. element.EnumerateObject().Select(member => member.Name)];
}
