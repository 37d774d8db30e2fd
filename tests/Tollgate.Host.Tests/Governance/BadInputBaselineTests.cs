using Tollgate.Host.Tests.Security;

namespace Tollgate.Host.Tests.GovernanceApi;

/// <summary>
/// The valid body every bad case is made from is accepted, so each bad case is refused for the one thing wrong
/// with it; and text that is merely unusual (emoji, right-to-left scripts) is accepted and recorded as sent.
/// </summary>
public sealed class BadInputBaselineTests
{
    /// <summary>What an endpoint's valid body needs the scene to have done first.</summary>
    private static readonly Dictionary<string, Func<GovernanceScene, Task>> Prepare = new()
    {
        [GovernanceEndpoints.RollBackMap.Name] = scene => scene.ExpectAsync(scene.Operator, "POST", GovernanceEndpoints.ActivateMap.Path,
            """{"map_id":"{map}","reason":"second release"}""", 201),
        [GovernanceEndpoints.Confirm.Name] = async scene =>
        {
            var approved = await scene.ExpectAsync(scene.Trader, "POST", GovernanceEndpoints.Approve.Path, "{}", 200);
            scene.Set("{challenge}", approved.GetProperty("challenge").GetString()!);
        },
        [GovernanceEndpoints.Resubmit.Name] = scene => scene.ExpectAsync(scene.Trader, "POST", GovernanceEndpoints.Return.Path, GovernanceEndpoints.Return.ValidBody, 200),
    };

    public static TheoryData<string> Endpoints => [.. GovernanceEndpoints.All.Select(endpoint => endpoint.Name)];

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task The_valid_body_the_bad_cases_are_made_from_is_accepted(string name)
    {
        var endpoint = GovernanceEndpoints.All.Single(e => e.Name == name);
        var scene = new GovernanceScene();
        await scene.InitializeAsync();
        try
        {
            if (Prepare.TryGetValue(name, out var prepare)) await prepare(scene);
            var answer = await Call.SendAsync(scene.ClientFor(endpoint.Caller), endpoint.Method, scene.Resolve(endpoint.Path),
                GovernanceBodies.Json(scene.Resolve(endpoint.ValidBody)));
            Assert.True(answer.Status is >= 200 and < 300, $"{name}: {answer}");
        }
        finally
        {
            await scene.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("🛑 halt: the feed is stale 📉")]
    [InlineData("تم إيقاف التداول")]
    [InlineData("עצירה ידנית")]
    [InlineData("止めてください — 価格が異常")]
    [InlineData("e\u0301 combining, zero\u200dwidth joiner, 👩‍💻")]
    public async Task Unusual_but_honest_text_is_accepted_and_recorded_as_sent(string reason)
    {
        var scene = new GovernanceScene();
        await scene.InitializeAsync();
        try
        {
            var body = System.Text.Json.JsonSerializer.Serialize(new { reason });
            var engaged = await scene.ExpectAsync(scene.Operator, "POST", "/api/kill-switch/Paper/engage", body, 200);
            Assert.Equal(reason, engaged.GetProperty("reason").GetString());
            var entry = await new LedgerTrail(scene.Reader).EntryAsync(engaged.GetProperty("ledger_index").GetInt64());
            Assert.Equal(reason, entry.GetProperty("payload").GetProperty("reason").GetString());
        }
        finally
        {
            await scene.DisposeAsync();
        }
    }
}
