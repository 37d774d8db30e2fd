using System.Text;
using Tollgate.Ledger.Bundles;

namespace Tollgate.Governance.Gates.Checks;

/// <summary>Seed 000 §5.1: DOCUMENT_INDEX doc_key status consistent (exactly one ACTIVE).</summary>
public sealed class DocumentIndexCheck : GateCheck
{
    public override string Id => "VA-01";
    public override GateName Gate => GateName.VersionAudit;
    public override string Title => "DOCUMENT_INDEX: every doc_key has exactly one ACTIVE version";

    public override Task<CheckResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        if (context.Request.DocumentIndex is not { Count: > 0 } index)
            return Task.FromResult(Return("GOV-DOCINDEX-MISSING", "The request carries no document_index, so the documents in force cannot be checked."));
        var byKey = index.GroupBy(document => document.DocKey, StringComparer.Ordinal).ToList();
        var duplicated = byKey.Where(group => group.Count(document => document.Status == "ACTIVE") > 1).Select(group => group.Key).ToList();
        if (duplicated.Count > 0)
            return Task.FromResult(Return("GOV-DOCINDEX-DUPLICATE-ACTIVE", $"More than one ACTIVE version of {string.Join(", ", duplicated)}."));
        var inactive = byKey.Where(group => !group.Any(document => document.Status == "ACTIVE")).Select(group => group.Key).ToList();
        if (inactive.Count > 0)
            return Task.FromResult(Return("GOV-DOCINDEX-NO-ACTIVE", $"No ACTIVE version of {string.Join(", ", inactive)}."));
        return Task.FromResult(Pass($"{byKey.Count} doc_keys, each with one ACTIVE version."));
    }
}

/// <summary>Seed 000 §5.1: the Active Version Map was generated (docs/policy/model/config/code).</summary>
public sealed class VersionMapGeneratedCheck : GateCheck
{
    public override string Id => "VA-02";
    public override GateName Gate => GateName.VersionAudit;
    public override string Title => "Active Version Map generated: docs, policy, model, config and code versions";

    public override async Task<CheckResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        if (context.Request.VersionMapId is null) return Return("GOV-VMAP-MISSING", "The request names no version_map_id.");
        if (await context.CandidateAsync(cancellationToken) is not { } registered)
            return Return("GOV-VMAP-MISSING", $"Version map {context.Request.VersionMapId} is not registered.");
        if (registered.Map.Environment != context.Request.Environment)
            return Return("GOV-VMAP-WRONG-ENVIRONMENT", $"Version map {registered.Map.Id} was registered for {registered.Map.Environment}, not {context.Request.Environment}.");
        return Pass($"Version map {registered.Map.Id}: docs {registered.Map.Docs}, policy {registered.Map.Policy}, model {registered.Map.Model}, config {registered.Map.Config}, code {registered.Map.Code}.");
    }
}

/// <summary>Seed 000 §5.1: the change ledger (Only-Add) has the event.</summary>
public sealed class ChangeLedgerCheck : GateCheck
{
    public override string Id => "VA-03";
    public override GateName Gate => GateName.VersionAudit;
    public override string Title => "Change Ledger (Only-Add) holds the version map's registration";

    public override async Task<CheckResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        if (await context.CandidateAsync(cancellationToken) is not { } registered)
            return Return("GOV-CHANGE-LEDGER-MISSING", "There is no registered version map whose change could be in the ledger.");
        if (context.Audit.Find($"vmap:{registered.Map.Id}") is not { } index)
            return Return("GOV-CHANGE-LEDGER-MISSING", $"The ledger has no signed entry registering {registered.Map.Id}.");
        return Pass($"Registered by {registered.RegisteredBy} at {registered.RegisteredAt:O}; ledger entry {index}.");
    }
}

/// <summary>Seed 000 §5.1: the artifact types a replay needs are ready (replay bundle schema usable).</summary>
public sealed class ReplayBundleSchemaCheck : GateCheck
{
    /// <summary>What replaying an event of a governed release needs (seed 000 §2, DESIGN.md §1).</summary>
    public static readonly string[] ReplayRoles =
    [
        BundleRoles.VersionMap, BundleRoles.Config, BundleRoles.Policy, BundleRoles.RulebookRef, BundleRoles.MarketData,
        BundleRoles.OrderIntents, BundleRoles.Orders, BundleRoles.Fills, BundleRoles.GateResults,
    ];

    public override string Id => "VA-04";
    public override GateName Gate => GateName.VersionAudit;
    public override string Title => "Replay bundle schema usable: every artifact type a replay needs can be sealed";

    public override async Task<CheckResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        var missing = ReplayRoles.Where(role => BundleRoles.All.All(known => known.Name != role)).ToList();
        if (missing.Count > 0) return Return("GOV-REPLAY-SCHEMA", $"The bundle schema has no role for {string.Join(", ", missing)}.");
        try
        {
            // Members are stored by content hash; this probe object is the same every time, so it is stored once.
            var probe = Encoding.UTF8.GetBytes("tollgate replay-bundle store probe\n");
            var name = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(probe));
            if (!context.Verified.Holds(name))
            {
                var hash = await context.Content.StoreAsync(probe, cancellationToken);
                if (await context.Content.ReadAsync(hash, cancellationToken) is not { } back || !back.AsSpan().SequenceEqual(probe))
                    return Return("GOV-REPLAY-SCHEMA", "The bundle object store did not return what it was given.");
                context.Verified.Remember(name);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Return("GOV-REPLAY-SCHEMA", $"The bundle object store cannot be written ({e.GetType().Name}).");
        }
        return Pass($"The bundle schema has a role for each of {string.Join(", ", ReplayRoles)}, and its object store took a write within the last minute.");
    }
}
