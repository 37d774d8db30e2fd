namespace Tollgate.Host.Tests.GovernanceApi;

/// <summary>Registering, activating and rolling back version maps with bad input: refused with a reason, never 5xx, nothing persisted.</summary>
public sealed class VersionMapBadInputTests(GovernanceScene scene) : IClassFixture<GovernanceScene>
{
    private static readonly Dictionary<string, BadInput> Cases = GovernanceEndpoints.Corpus(GovernanceEndpoints.VersionMaps,
    [
        ("register a version map: two artifacts of one name", new BadInput(Caller.Operator, "POST", "/api/version-maps",
            GovernanceBodies.Map("Research", "d").Replace("}]}", "},{\"name\":\"engine\",\"ref\":\"other\",\"digest\":\"sha256:" + GovernanceBodies.Zeros + "\"}]}"), 400, "GOV_INVALID_REQUEST")),
        ("activate a version map: a map that was never registered", new BadInput(Caller.Operator, "POST", GovernanceEndpoints.ActivateMap.Path,
            """{"map_id":"vm-00000000000000000000000000000000","reason":"r"}""", 404, "VMAP_NOT_FOUND")),
        ("activate a version map: the map that is already active", new BadInput(Caller.Operator, "POST", GovernanceEndpoints.ActivateMap.Path,
            """{"map_id":"{active}","reason":"r"}""", 409, "VMAP_ALREADY_ACTIVE")),
        ("activate a version map: a Research map on Backtest", new BadInput(Caller.Operator, "POST", "/api/environments/Backtest/version-map/activate",
            """{"map_id":"{map}","reason":"r"}""", 409, "VMAP_WRONG_ENVIRONMENT")),
        ("activate a version map: expecting another active map", new BadInput(Caller.Operator, "POST", GovernanceEndpoints.ActivateMap.Path,
            """{"map_id":"{map}","reason":"r","expected_from":"{map}"}""", 409, "VMAP_CONFLICT")),
        ("roll back the version map: with nothing earlier", new BadInput(Caller.Operator, "POST", GovernanceEndpoints.RollBackMap.Path,
            """{"reason":"r"}""", 409, "VMAP_NO_PREVIOUS")),
        ("roll back the version map: where no map is active", new BadInput(Caller.Operator, "POST", "/api/environments/Backtest/version-map/rollback",
            """{"reason":"r"}""", 404, "VMAP_MISSING")),
        ("read the active map: environment 'live'", new BadInput(Caller.Operator, "GET", "/api/environments/live/version-map", null, 400, "ENV_UNKNOWN")),
        ("read the map history: environment '4'", new BadInput(Caller.Operator, "GET", "/api/environments/4/version-map/history", null, 400, "ENV_UNKNOWN")),
        ("read a map: an id that is not one", new BadInput(Caller.Operator, "GET", "/api/version-maps/%E2%80%AEvm-1", null, 404, "VMAP_NOT_FOUND")),
    ]);

    public static TheoryData<string> Names => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public Task A_bad_version_map_request_is_refused_with_a_reason_and_persists_nothing(string name) => scene.AssertRefusedAndNothingChangedAsync(name, Cases[name]);
}
