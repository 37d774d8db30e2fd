namespace Tollgate.Host.Tests.GovernanceApi;

/// <summary>Engaging, releasing, asking to release, preflighting and hinting the kill switch with bad input: refused with a reason, never 5xx, no switch moved.</summary>
public sealed class KillSwitchBadInputTests(GovernanceScene scene) : IClassFixture<GovernanceScene>
{
    private static readonly Dictionary<string, BadInput> Cases = GovernanceEndpoints.Corpus(GovernanceEndpoints.KillSwitch,
    [
        ("ask to release the kill switch: one that is not engaged", new BadInput(Caller.Operator, "POST", "/api/kill-switch/Backtest/release-requests",
            """{"reason":"please"}""", 409, "APPROVAL_NOT_PENDING")),
        ("hint a kill-switch change: no body", new BadInput(Caller.Operator, "POST", "/api/kill-switch/notify", "", 400, "GOV_INVALID_REQUEST")),
        ("read a kill switch: environment 'live'", new BadInput(Caller.Operator, "GET", "/api/kill-switch/live", null, 400, "ENV_UNKNOWN")),
        ("read a kill switch: environment '4'", new BadInput(Caller.Operator, "GET", "/api/kill-switch/4", null, 400, "ENV_UNKNOWN")),
    ]);

    public static TheoryData<string> Names => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public Task A_bad_kill_switch_request_is_refused_with_a_reason_and_moves_no_switch(string name) => scene.AssertRefusedAndNothingChangedAsync(name, Cases[name]);
}
