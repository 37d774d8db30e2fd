using System.Text.Json;
using Tollgate.Governance.Identity;
using Tollgate.Host.Tests.GovernanceApi;
using Tollgate.Host.Tests.Ledger;
using Tollgate.Host.Tests.Support;
using static Tollgate.Host.Tests.GovernanceApi.GovernanceBodies;

namespace Tollgate.Host.Tests.Security;

/// <summary>
/// Seed 000 §8.1: a shared login may not act on Live, and Paper is governed as Live. A shared account (by the
/// token's <c>tollgate_shared</c> claim, or named in Tollgate:Auth:SharedAccounts) is refused every act on Paper and
/// Live with AUTH_SHARED_ACCOUNT, the refusal is recorded and nothing else is; on Research the same acts go through.
/// </summary>
public sealed class SharedAccountTests
{
    private const string ListedSubject = "trading-desk";

    public static TheoryData<string, string> LiveGradeActs()
    {
        var data = new TheoryData<string, string>();
        foreach (var how in new[] { "claim", "setting" })
            foreach (var act in Acts.Keys)
                data.Add(act, how);
        return data;
    }

    /// <summary>An act on a live-grade environment: what the scene needs first (done by personal identities), then the request.</summary>
    private static readonly Dictionary<string, Func<Scene, Task<(string Method, string Path, string? Body)>>> Acts = new()
    {
        ["engage the Live kill switch"] = _ => Task.FromResult(("POST", "/api/kill-switch/Live/engage", (string?)"""{"reason":"prices look wrong"}""")),
        ["engage the Paper kill switch"] = _ => Task.FromResult(("POST", "/api/kill-switch/Paper/engage", (string?)"""{"reason":"prices look wrong"}""")),
        ["release the Live kill switch"] = async scene =>
        {
            await scene.ExpectAsync(scene.Operator, "POST", "/api/kill-switch/Live/engage", """{"reason":"stop"}""", 200);
            return ("POST", "/api/kill-switch/Live/release", """{"reason":"all clear"}""");
        },
        ["ask to release the Live kill switch"] = async scene =>
        {
            await scene.ExpectAsync(scene.Operator, "POST", "/api/kill-switch/Live/engage", """{"reason":"stop"}""", 200);
            return ("POST", "/api/kill-switch/Live/release-requests", """{"reason":"all clear"}""");
        },
        ["request an approval for Live"] = _ => Task.FromResult(("POST", "/api/approvals", (string?)Approval("Live"))),
        ["request an approval for Paper"] = _ => Task.FromResult(("POST", "/api/approvals", (string?)Approval("Paper"))),
        ["register a version map for Paper"] = _ => Task.FromResult(("POST", "/api/version-maps", (string?)Map("Paper"))),
        ["activate a version map on Paper"] = async scene =>
        {
            var map = await scene.ExpectAsync(scene.Pipeline, "POST", "/api/version-maps", Map("Paper"), 201);
            var id = map.GetProperty("map").GetProperty("id").GetString();
            return ("POST", "/api/environments/Paper/version-map/activate", $$"""{"map_id":"{{id}}","reason":"release 7"}""");
        },
        ["roll back Live's version map"] = _ => Task.FromResult(("POST", "/api/environments/Live/version-map/rollback", (string?)"""{"reason":"bad release"}""")),
        ["approve a Live approval"] = async scene =>
        {
            var approval = await scene.ExpectAsync(scene.Operator, "POST", "/api/approvals", Approval("Live"), 201);
            return ("POST", $"/api/approvals/{approval.GetProperty("id").GetString()}/approve", null);
        },
        ["veto a Paper approval"] = async scene =>
        {
            var approval = await scene.ExpectAsync(scene.Operator, "POST", "/api/approvals", Approval("Paper"), 201);
            return ("POST", $"/api/approvals/{approval.GetProperty("id").GetString()}/veto", """{"reason_codes":["RISK_LIMIT"]}""");
        },
        ["evaluate a gate for Live"] = _ => Task.FromResult(("POST", "/api/gates/VERSION_AUDIT/evaluations", (string?)Gate("Live"))),
    };

    [Theory]
    [MemberData(nameof(LiveGradeActs))]
    public async Task A_shared_account_is_refused_on_a_live_grade_environment_and_only_the_refusal_is_recorded(string act, string sharedBy)
    {
        await using var scene = await Scene.StartAsync();
        var shared = scene.Shared(sharedBy);
        var (method, path, body) = await Acts[act](scene);
        var before = await GovernanceState.ReadAsync(scene.Reader);

        var answer = await Call.SendAsync(shared.Client, method, path, body is null ? null : Json(body));

        Assert.True(answer is { Status: 403, Reason: "AUTH_SHARED_ACCOUNT" } && !string.IsNullOrWhiteSpace(answer.Message), $"{act}: {answer}");
        var appended = await scene.Trail.SinceAsync(before.LedgerSize);
        var denial = Assert.Single(appended);
        Assert.Equal("access_denied", denial.GetProperty("kind").GetString());
        Assert.Equal(shared.Subject, denial.GetProperty("actor").GetString());
        Assert.Equal("AUTH_SHARED_ACCOUNT", denial.GetProperty("payload").GetProperty("reason_code").GetString());
        Assert.Equal("403", denial.GetProperty("payload").GetProperty("status").GetString());
        Assert.Equal(before with { LedgerSize = before.LedgerSize + 1 }, await GovernanceState.ReadAsync(scene.Reader));
    }

    [Theory]
    [InlineData("claim")]
    [InlineData("setting")]
    public async Task A_shared_account_may_act_on_Research(string sharedBy)
    {
        await using var scene = await Scene.StartAsync();
        var shared = scene.Shared(sharedBy);

        var engaged = await scene.ExpectAsync(shared.Client, "POST", "/api/kill-switch/Research/engage", """{"reason":"prices look wrong"}""", 200);
        Assert.True(engaged.GetProperty("engaged").GetBoolean());
        Assert.Equal(shared.Subject, engaged.GetProperty("actor").GetString());

        var approval = await scene.ExpectAsync(shared.Client, "POST", "/api/approvals", Approval("Research"), 201);
        Assert.Equal(shared.Subject, approval.GetProperty("requester").GetString());

        var map = await scene.ExpectAsync(shared.Client, "POST", "/api/version-maps", Map("Research"), 201);
        var id = map.GetProperty("map").GetProperty("id").GetString();
        var activated = await scene.ExpectAsync(shared.Client, "POST", "/api/environments/Research/version-map/activate",
            $$"""{"map_id":"{{id}}","reason":"try it"}""", 201);
        Assert.Equal(shared.Subject, activated.GetProperty("operator").GetString());

        await scene.ExpectAsync(shared.Client, "POST", "/api/gates/VERSION_AUDIT/evaluations", Gate("Research"), 201);
    }

    /// <summary>A host with personal identities to set the scene, a reader, and the ledger.</summary>
    private sealed class Scene : IAsyncDisposable
    {
        private readonly HostFactory host;

        private Scene(HostFactory host)
        {
            this.host = host;
            Reader = host.As("scene-auditor", Role.Auditor);
            Operator = host.As("alice", Role.Operator);
            Pipeline = host.As("ci-bot", Role.Pipeline);
            Trail = new LedgerTrail(Reader);
        }

        public HttpClient Reader { get; }
        public HttpClient Operator { get; }
        public HttpClient Pipeline { get; }
        public LedgerTrail Trail { get; }

        public static async Task<Scene> StartAsync()
        {
            var scene = new Scene(new HostFactory().With("Tollgate:Auth:SharedAccounts", $"someone-else, {ListedSubject}"));
            await LedgerApiTests.WaitForLedgerAsync(scene.Reader);
            return scene;
        }

        /// <summary>An Operator and Trader behind one login: shared by the token's claim, or by the host's list.</summary>
        public (HttpClient Client, string Subject) Shared(string how) => how == "claim"
            ? (host.Http(host.Tokens.Create("desk-login", [Role.Operator, Role.Trader], shared: true)), "desk-login")
            : (host.As(ListedSubject, Role.Operator, Role.Trader), ListedSubject);

        public async Task<JsonElement> ExpectAsync(HttpClient client, string method, string path, string? body, int status)
        {
            var answer = await Call.SendAsync(client, method, path, body is null ? null : Json(body));
            Assert.True(answer.Status == status, $"{method} {path}: expected {status}, got {answer}");
            using var document = JsonDocument.Parse(answer.Body);
            return document.RootElement.Clone();
        }

        public ValueTask DisposeAsync() => host.DisposeAsync();
    }
}
