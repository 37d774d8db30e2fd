namespace Tollgate.Host.Tests.GovernanceApi;

/// <summary>The governance endpoints that take a JSON body, each with a valid body (see <see cref="GovernanceScene"/> for the placeholders).</summary>
public static class GovernanceEndpoints
{
    private static readonly Member Reason = new("reason", Kind.Text);

    public static readonly Endpoint RegisterMap = new("register a version map", Caller.Operator, "POST", "/api/version-maps", GovernanceBodies.Map("Research", "c"),
    [
        new("environment", Kind.Environment, Max: 16), new("docs", Kind.Text, Max: 128), new("policy", Kind.Text, Max: 128), new("model", Kind.Text, Max: 128),
        new("config", Kind.Text, Max: 128), new("code", Kind.Text, Max: 128), new("rulebook_snapshot_ref", Kind.Digest, Max: 71),
        new("artifacts", Kind.Objects, Required: false, Max: 32), new("artifacts.0.name", Kind.Id, Max: 128), new("artifacts.0.ref", Kind.Text, Max: 256),
        new("artifacts.0.digest", Kind.Digest, Max: 71),
    ]);

    public static readonly Endpoint ActivateMap = new("activate a version map", Caller.Operator, "POST", "/api/environments/Research/version-map/activate",
        """{"map_id":"{map}","reason":"release 7","expected_from":"{active}","approval_id":"{approval}"}""",
        [new("map_id", Kind.Id, Max: 128), Reason, new("expected_from", Kind.Id, Required: false, Max: 128), new("approval_id", Kind.Id, Required: false, Max: 128)])
    { EnvironmentInPath = "Research" };

    public static readonly Endpoint RollBackMap = new("roll back the version map", Caller.Operator, "POST", "/api/environments/Research/version-map/rollback",
        """{"to_map":"{active}","reason":"bad release","expected_from":"{map}","approval_id":"{approval}"}""",
        [new("to_map", Kind.Id, Required: false, Max: 128), Reason, new("expected_from", Kind.Id, Required: false, Max: 128), new("approval_id", Kind.Id, Required: false, Max: 128)])
    { EnvironmentInPath = "Research" };

    private const string GateBody = """{"environment":"Research","release_id":"release-1","version_map_id":"{active}","document_index":[{"doc_key":"DOC-1","version":"1.0","status":"ACTIVE"}],"veto_reason_codes":[{"code":"RISK_LIMIT","description":"over the limit"}]}""";

    private static readonly Member[] GateMembers =
    [
        new("environment", Kind.Environment, Max: 16), new("release_id", Kind.Id, Max: 128), new("version_map_id", Kind.Id, Required: false, Max: 128),
        new("document_index", Kind.Objects, Required: false, Max: 500), new("document_index.0.doc_key", Kind.Id, Max: 128),
        new("document_index.0.version", Kind.Text, Max: 128), new("document_index.0.status", Kind.Word, Max: 16),
        new("veto_reason_codes", Kind.Objects, Required: false, Max: 500), new("veto_reason_codes.0.code", Kind.Text, Max: 64),
        new("veto_reason_codes.0.description", Kind.Text, Max: 512),
    ];

    public static readonly Endpoint EvaluateGate = new("evaluate a gate", Caller.Operator, "POST", "/api/gates/VERSION_AUDIT/evaluations", GateBody, GateMembers) { GateInPath = true };

    public static readonly Endpoint EvaluateGateForAzureDevOps = new("evaluate a gate for Azure DevOps", Caller.Operator, "POST",
        "/api/gates/VERSION_AUDIT/evaluations?mode=azure-devops", GateBody, GateMembers) { GateInPath = true };

    public static readonly Endpoint EvaluateAllGates = new("evaluate all gates", Caller.Operator, "POST", "/api/gates/evaluations", GateBody, GateMembers);

    public static readonly Endpoint EvaluateAllGatesForAzureDevOps = new("evaluate all gates for Azure DevOps", Caller.Operator, "POST",
        "/api/gates/evaluations?mode=azure-devops", GateBody, GateMembers);

    public static readonly Endpoint RequestApproval = new("request an approval", Caller.Operator, "POST", "/api/approvals",
        """{"subject":{"kind":"ACTIVATE_VERSION_MAP","environment":"Research","reference":"{map}"},"operator":"gov-operator","release_id":"release-1","instance_id":"inst-1","reason":"ship it"}""",
    [
        new("subject", Kind.Object), new("subject.kind", Kind.Word, Max: 32), new("subject.environment", Kind.Environment, Max: 16),
        new("subject.reference", Kind.Id, Max: 128), new("operator", Kind.Id, Required: false, Max: 128), new("release_id", Kind.Id, Required: false, Max: 128),
        new("instance_id", Kind.Id, Required: false, Max: 128), Reason,
    ]);

    public static readonly Endpoint Approve = new("approve", Caller.Trader, "POST", "/api/approvals/{approval}/approve", "{}", []);

    public static readonly Endpoint Confirm = new("confirm", Caller.Trader, "POST", "/api/approvals/{approval}/confirm", """{"challenge":"{challenge}"}""",
        [new("challenge", Kind.Text, Max: 128)]);

    private static readonly Member[] DecisionMembers = [new("reason_codes", Kind.ReasonCodes, Required: false, Max: 32), new("reason", Kind.Text, Required: false)];

    public static readonly Endpoint Veto = new("veto", Caller.Trader, "POST", "/api/approvals/{approval}/veto", """{"reason_codes":["RISK_LIMIT"],"reason":"too risky"}""", DecisionMembers);

    public static readonly Endpoint Return = new("return", Caller.Trader, "POST", "/api/approvals/{approval}/return", """{"reason_codes":["DOC_MISSING"],"reason":"add the docs"}""", DecisionMembers);

    public static readonly Endpoint Resubmit = new("resubmit", Caller.Operator, "POST", "/api/approvals/{approval}/resubmit", """{"reason":"docs added"}""", [Reason]);

    public static readonly Endpoint Withdraw = new("withdraw", Caller.Operator, "POST", "/api/approvals/{approval}/withdraw", """{"reason":"not needed"}""", [Reason]);

    public static readonly Endpoint Engage = new("engage the kill switch", Caller.Operator, "POST", "/api/kill-switch/Backtest/engage",
        """{"reason":"prices look wrong","reason_codes":["EXE-KILL-01"]}""", [Reason, new("reason_codes", Kind.ReasonCodes, Required: false, Max: 16)])
    { EnvironmentInPath = "Backtest" };

    public static readonly Endpoint Release = new("release the kill switch", Caller.Operator, "POST", "/api/kill-switch/Research/release",
        """{"reason":"all clear","approval_id":"{approval}"}""", [Reason, new("approval_id", Kind.Id, Required: false, Max: 128)])
    { EnvironmentInPath = "Research" };

    public static readonly Endpoint RequestRelease = new("ask to release the kill switch", Caller.Operator, "POST", "/api/kill-switch/Research/release-requests",
        """{"reason":"please release"}""", [Reason])
    { EnvironmentInPath = "Research" };

    public static readonly Endpoint Preflight = new("preflight the kill switch", Caller.Operator, "POST", "/api/kill-switch/Research/preflight", "{}", [])
    { EnvironmentInPath = "Research" };

    public static readonly Endpoint Notify = new("hint a kill-switch change", Caller.Operator, "POST", "/api/kill-switch/notify", """{"environment":"Research"}""",
        [new("environment", Kind.Environment, Max: 16)]);

    public static readonly Endpoint[] VersionMaps = [RegisterMap, ActivateMap, RollBackMap];
    public static readonly Endpoint[] Gates = [EvaluateGate, EvaluateGateForAzureDevOps, EvaluateAllGates, EvaluateAllGatesForAzureDevOps];
    public static readonly Endpoint[] Approvals = [RequestApproval, Approve, Confirm, Veto, Return, Resubmit, Withdraw];
    public static readonly Endpoint[] KillSwitch = [Engage, Release, RequestRelease, Preflight, Notify];

    public static IEnumerable<Endpoint> All => [.. VersionMaps, .. Gates, .. Approvals, .. KillSwitch];

    /// <summary>Every bad request of <paramref name="endpoints"/>, named "endpoint: what is wrong".</summary>
    public static Dictionary<string, BadInput> Corpus(IEnumerable<Endpoint> endpoints, IEnumerable<(string Name, BadInput Input)>? more = null) =>
        endpoints.SelectMany(endpoint => BodyCorpus.Of(endpoint).Select(bad => ($"{endpoint.Name}: {bad.Name}", bad.Input)))
            .Concat(more ?? []).ToDictionary(pair => pair.Item1, pair => pair.Item2);
}
