using System.Text.Json;
using Tollgate.Governance.Approvals;
using Tollgate.Governance.Audit;

namespace Tollgate.Governance.Gates;

/// <summary>
/// The gate evaluations a release's Verify stage waived under its release policy, as that stage recorded them in
/// the ledger: a waiver covers one evaluation id whose gate RETURNed only for checks that could not be evaluated (a
/// subsystem not built), never a VETO. Approvals of the release honour exactly those, and no others.
/// </summary>
public static class GateWaivers
{
    /// <summary>The fact of the Verify stage's entry that lists the waived evaluation ids, comma-separated.</summary>
    public const string Fact = "waived_evaluations";

    /// <summary>The identity release control records its entries under.</summary>
    public const string ReleaseControlSubject = "tollgate:release";

    /// <summary>The ledger key of a release stage's entry.</summary>
    public static string StageKey(string releaseId, string stage) => $"release:{releaseId}:stage:{stage}";

    public static async Task<IReadOnlySet<string>> OfAsync(IAuditLog audit, string releaseId, CancellationToken cancellationToken)
    {
        if (audit.Find(StageKey(releaseId, "VERIFY")) is not { } index) return new HashSet<string>();
        var entry = await audit.ReadAsync(index, cancellationToken);
        // Only release control's own Verify entry: an Operator's append under the same key waives nothing.
        if (entry.Kind != Ledger.Entries.LedgerKinds.ReleaseStage.Name || entry.Fields.Actor != ReleaseControlSubject) return new HashSet<string>();
        var payload = entry.Payload();
        return payload.TryGetProperty("facts", out var facts) && facts.TryGetProperty(Fact, out var waived) && waived.ValueKind == JsonValueKind.String
            ? waived.GetString()!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>();
    }

    /// <summary>The standing verdicts less the RETURNs the release's Verify stage waived.</summary>
    public static async Task<IReadOnlyList<StandingVerdict>> ApplyAsync(IAuditLog audit, string releaseId, IReadOnlyList<StandingVerdict> standing,
        CancellationToken cancellationToken)
    {
        if (standing.Count == 0) return standing;
        var waived = await OfAsync(audit, releaseId, cancellationToken);
        return [.. standing.Where(v => !(v.Verdict == "RETURN" && waived.Contains(v.EvaluationId)))];
    }
}
