using System.Security.Cryptography;

namespace Tollgate.Governance.Gates.Checks;

/// <summary>Checks an object named by a <c>sha256:</c> digest is in the content store with exactly those bytes.</summary>
internal static class StoredObjects
{
    public static async Task<string?> ProblemAsync(GateContext context, string digest, CancellationToken cancellationToken)
    {
        var hex = digest["sha256:".Length..];
        if (context.Verified.Holds(hex)) return null;
        var bytes = await context.Content.ReadAsync(hex, cancellationToken);
        if (bytes is null) return $"{digest} is not in the object store";
        if (Convert.ToHexStringLower(SHA256.HashData(bytes)) != hex) return $"the object stored as {digest} does not hash to it";
        context.Verified.Remember(hex);
        return null;
    }
}

/// <summary>Seed 000 §5.2: the policy version can be located (policy_version is traceable).</summary>
public sealed class PolicyVersionCheck : GateCheck
{
    public override string Id => "RC-01";
    public override GateName Gate => GateName.RiskCompliance;
    public override string Title => "Policy version traceable: the map's policy artifact is stored under its digest";

    public override async Task<CheckResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        if (await context.CandidateAsync(cancellationToken) is not { } registered)
            return Veto("RISK-POLICY-UNLOCATABLE", "No registered version map names a policy version.");
        if (registered.Map.Artifacts.FirstOrDefault(artifact => artifact.Name == "policy") is not { } policy)
            return Veto("RISK-POLICY-UNLOCATABLE", $"Version map {registered.Map.Id} names policy {registered.Map.Policy} but no 'policy' artifact with a digest.");
        if (await StoredObjects.ProblemAsync(context, policy.Digest, cancellationToken) is { } problem)
            return Veto("RISK-POLICY-UNLOCATABLE", $"Policy {registered.Map.Policy}: {problem}.");
        return Pass($"Policy {registered.Map.Policy} is stored as {policy.Digest}.");
    }
}

/// <summary>Seed 000 §5.2: the rulebook snapshot (rulebook_snapshot_ref) can be replayed.</summary>
public sealed class RulebookSnapshotCheck : GateCheck
{
    public override string Id => "RC-02";
    public override GateName Gate => GateName.RiskCompliance;
    public override string Title => "Rulebook snapshot replayable: rulebook_snapshot_ref is stored and intact";

    public override async Task<CheckResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        if (await context.CandidateAsync(cancellationToken) is not { } registered)
            return Veto("RISK-RULEBOOK-MISSING", "No registered version map names a rulebook snapshot.");
        var reference = registered.Map.RulebookSnapshotRef;
        if (await StoredObjects.ProblemAsync(context, reference, cancellationToken) is { } problem)
            return Veto(problem.Contains("does not hash") ? "RISK-RULEBOOK-CORRUPT" : "RISK-RULEBOOK-MISSING", $"Rulebook snapshot: {problem}.");
        return Pass($"Rulebook snapshot {reference} is stored and hashes to its reference.");
    }
}

/// <summary>Seed 000 §5.2: the veto reason codes are mapped completely (UI and logs can show them).</summary>
public sealed class VetoReasonCodesCheck : GateCheck
{
    public override string Id => "RC-03";
    public override GateName Gate => GateName.RiskCompliance;
    public override string Title => "Veto reason codes mapped: every code the policy can raise has a valid code and a description";

    public override Task<CheckResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        if (context.Request.VetoReasonCodes is not { Count: > 0 } codes)
            return Task.FromResult(Return("RISK-REASON-CODES-UNDECLARED", "The request declares no veto_reason_codes, so their mapping cannot be checked."));
        var invalid = codes.Where(code => !ReasonCode.IsValid(code.Code)).Select(code => Requests.RequestObject.Printable(code.Code)).ToList();
        if (invalid.Count > 0) return Task.FromResult(Veto("RISK-REASON-UNMAPPED", $"Not reason codes: {string.Join(", ", invalid)}."));
        var duplicated = codes.GroupBy(code => code.Code).Where(group => group.Count() > 1).Select(group => group.Key).ToList();
        if (duplicated.Count > 0) return Task.FromResult(Veto("RISK-REASON-UNMAPPED", $"Mapped more than once: {string.Join(", ", duplicated)}."));
        return Task.FromResult(Pass($"{codes.Count} veto reason codes, each with a description."));
    }
}
