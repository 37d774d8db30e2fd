namespace Tollgate.Host.Tests.GovernanceApi;

/// <summary>Gate evaluations (one gate and all, plain and for Azure DevOps) with bad input: refused with a reason, never 5xx, nothing recorded.</summary>
public sealed class GateBadInputTests(GovernanceScene scene) : IClassFixture<GovernanceScene>
{
    private const string Valid = """{"environment":"Research","release_id":"release-1"}""";

    private static readonly Dictionary<string, BadInput> Cases = GovernanceEndpoints.Corpus(GovernanceEndpoints.Gates,
        from path in new[] { "/api/gates/VERSION_AUDIT/evaluations", "/api/gates/evaluations" }
        from mode in new[] { "azure", "AZURE-DEVOPS", "", "azure-devops&mode=azure-devops", "azure-devops%E2%80%AE", "%00" }
        select ($"{(path.Contains("VERSION") ? "evaluate a gate" : "evaluate all gates")}: mode '{Uri.UnescapeDataString(mode)}'",
            new BadInput(Caller.Operator, "POST", $"{path}?mode={mode}", Valid, 400, "GOV_INVALID_REQUEST")));

    private static readonly Dictionary<string, BadInput> Reads = new()
    {
        ["read an evaluation: an unknown gate"] = new(Caller.Operator, "GET", "/api/gates/NOT_A_GATE/evaluations/eval-1", null, 404, "GATE_UNKNOWN"),
        ["read an evaluation: an id that is not one"] = new(Caller.Operator, "GET", "/api/gates/VERSION_AUDIT/evaluations/eval-VERSION_AUDIT-zz-1", null, 404, "GATE_EVALUATION_NOT_FOUND"),
        ["read an evaluation: an id of another gate"] = new(Caller.Operator, "GET", $"/api/gates/UI_SPEC/evaluations/eval-VERSION_AUDIT-{new string('0', 16)}-1", null, 404, "GATE_EVALUATION_NOT_FOUND"),
    };

    public static TheoryData<string> Names => [.. Cases.Keys, .. Reads.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public Task A_bad_gate_request_is_refused_with_a_reason_and_records_nothing(string name) =>
        scene.AssertRefusedAndNothingChangedAsync(name, Cases.TryGetValue(name, out var bad) ? bad : Reads[name]);
}
