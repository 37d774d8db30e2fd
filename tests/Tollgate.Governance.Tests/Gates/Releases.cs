using Tollgate.Governance.Environments;
using Tollgate.Governance.Gates;
using Tollgate.Governance.Tests.Support;
using Tollgate.Governance.VersionMaps;

namespace Tollgate.Governance.Tests.Gates;

/// <summary>A release every check can pass: its map registered, its policy and rulebook stored, its documents and codes in order.</summary>
internal sealed record Release(GateRequest Request, VersionMap Map, string PolicyDigest, string RulebookDigest)
{
    public static readonly byte[] Policy = "policy v7: max position 10 BTC\n"u8.ToArray();
    public static readonly byte[] Rulebook = "rulebook v7: snapshot 2026-02-01\n"u8.ToArray();

    public static async Task<Release> RegisterAsync(World world, DeploymentEnvironment environment = DeploymentEnvironment.Paper, string releaseId = "rel-7",
        bool storePolicy = true, bool storeRulebook = true, bool withPolicyArtifact = true)
    {
        var policy = storePolicy ? await world.Content.PutAsync(Policy) : InMemoryContentStore.DigestOf(Policy);
        var rulebook = storeRulebook ? await world.Content.PutAsync(Rulebook) : InMemoryContentStore.DigestOf(Rulebook);
        var map = World.Map(environment, code: releaseId, rulebook: rulebook, artifacts: withPolicyArtifact
            ? [new ArtifactRef("policy", "blob://policies/v7", policy), new ArtifactRef("image", "ghcr.io/tollgate/app:7", InMemoryContentStore.DigestOf("image"u8.ToArray()))]
            : [new ArtifactRef("image", "ghcr.io/tollgate/app:7", InMemoryContentStore.DigestOf("image"u8.ToArray()))]);
        await world.RegisterAsync(map);
        return new Release(new GateRequest(environment, releaseId, map.Id, Documents, Codes), map, policy, rulebook);
    }

    public static readonly IReadOnlyList<IndexedDocument> Documents =
    [
        new("RUNBOOK", "v3", "ACTIVE"), new("RUNBOOK", "v2", "RETIRED"), new("RISK_POLICY", "v7", "ACTIVE"),
    ];

    public static readonly IReadOnlyList<VetoCode> Codes = [new("RISK_LIMIT", "position over the limit"), new("RISK-DRAWDOWN", "drawdown over the limit")];

    public static Task<GateEvaluation> EvaluateAsync(World world, GateName gate, GateRequest request) =>
        world.Gates.EvaluateAsync(People.Pipeline, gate, request, CancellationToken.None);

    public static CheckResult Check(GateEvaluation evaluation, string id) => evaluation.Checks.Single(check => check.Id == id);
}
