using Tollgate.Governance.Audit;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Tollgate.Ledger.Bundles;
using Tollgate.Ledger.Entries;
using Tollgate.Workflows.Release;

namespace Tollgate.Host.Release;

/// <summary>
/// Audit Record: the release's replay bundle (the candidate map, its rules and policy, every stage, split and
/// analysis entry with its inclusion proof, and every analysis's stored inputs) and then the deploy event with every
/// field of seed 000 §6.2, whatever the result. Written once: a retried activity finds the event its first attempt wrote.
/// </summary>
public sealed class DeployEventWriter(ReleaseServices services)
{
    public const string RunbookRef = "docs/RELEASES.md#rollback";

    public async Task<StageOutcome> WriteAsync(DeployEventRequest request, CancellationToken cancellationToken)
    {
        var release = await services.ContextAsync(request.ReleaseId, cancellationToken);
        var key = $"deploy:{request.ReleaseId}";
        if (await services.FindOwnAsync(key, cancellationToken) is { } existing) return Outcome(request, existing, (await services.Governance.Audit.ReadAsync(existing, cancellationToken)).PayloadOf().GetProperty("replay_bundle").GetString()!);

        var analyses = await services.Records.AnalysesAsync(request.ReleaseId, cancellationToken);
        var members = new List<BundleMemberInput>
        {
            new(BundleRoles.VersionMap, "candidate-map.json", "application/json", Encoding.UTF8.GetBytes(release.Candidate.ToJson().ToJsonString())),
            new(BundleRoles.Policy, "release-policy.json", "application/json", Encoding.UTF8.GetBytes(release.Policy.ToJson().ToJsonString())),
            new(BundleRoles.Other, "release.json", "application/json", Encoding.UTF8.GetBytes(release.Request.ToJson().ToJsonString())),
        };
        if (release.Candidate.Artifacts.FirstOrDefault(a => a.Name == "rules") is { } rules && await services.ReadObjectAsync(rules.Digest, cancellationToken) is { } ruleBytes)
            members.Add(new(BundleRoles.Config, "rules.json", "application/json", ruleBytes));
        if (release.Request.Capture is { } capture && await services.ReadObjectAsync(capture, cancellationToken) is { } captureBytes)
            members.Add(new(BundleRoles.MarketData, "capture.jsonl.gz", "application/gzip", captureBytes));
        foreach (var analysis in analyses)
            if (await services.ReadObjectAsync(analysis.RecordSha256, cancellationToken) is { } stored)
                members.Add(new(BundleRoles.Other, $"analysis_{analysis.AnalysisId.Replace(':', '_')}.json", "application/json", stored));
        var indexes = request.Stages.Select(s => s.LedgerIndex).Concat(analyses.Select(a => a.LedgerIndex)).Where(i => i >= 0).Distinct().Order().ToList();

        var ledger = services.Ledger;
        var writer = ledger.Require();
        var now = services.Clock.GetUtcNow();
        var bundle = await new BundleWriter(ledger.Store!, ledger.Signer!).CreateAsync(
            new BundleRequest(key, release.Request.Environment, ReleaseServices.Principal.Subject, now, members, indexes), writer, cancellationToken);
        await writer.AppendAsync(bundle.ToLedgerEntry(ReleaseServices.Principal.Subject, request.ReleaseId, now), cancellationToken);

        var active = await services.Governance.VersionMaps.FindActiveAsync(release.Environment, cancellationToken);
        var stableBefore = request.Stages.FirstOrDefault(s => s.Stage == ReleaseStages.Deploy)?.Facts.GetValueOrDefault("stable_map");
        var manifest = request.Stages.FirstOrDefault(s => s.Stage == ReleaseStages.Package)?.Facts.GetValueOrDefault("manifest_sha256");
        var artifact = release.Candidate.Artifacts.FirstOrDefault(a => a.Name == "rules") ?? release.Candidate.Artifacts.FirstOrDefault();
        var payload = new JsonObject
        {
            ["deploy_event_id"] = key,
            ["environment"] = release.Request.Environment,
            ["artifact_ref"] = artifact is null ? release.Candidate.Id : $"{artifact.Name}={artifact.Ref}@{artifact.Digest}",
            ["code_commit_ref"] = release.Request.Evidence.Commit,
            ["active_version_map_ref"] = new JsonObject { ["before"] = stableBefore ?? active?.Map.Id, ["after"] = active?.Map.Id },
            ["operator_id"] = release.Request.RequestedBy,
            ["timestamp"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["result"] = request.Result,
            ["reason_codes"] = JsonFacts.Strings(request.ReasonCodes.Distinct()),
            ["hash_manifest_ref"] = manifest is null ? "none: the pipeline stopped before Package" : $"sha256:{manifest}",
            ["runbook_ref"] = RunbookRef,
            ["release_id"] = request.ReleaseId,
            ["policy"] = release.Policy.Rev,
            ["candidate_map"] = release.Candidate.Id,
            ["stages"] = new JsonArray([.. request.Stages.Select(s => (JsonNode)new JsonObject
            {
                ["stage"] = s.Stage, ["result"] = s.Result, ["reason_codes"] = JsonFacts.Strings(s.ReasonCodes), ["ledger_index"] = s.LedgerIndex,
            })]),
            ["canary"] = request.Canary is null ? null : new JsonObject
            {
                ["result"] = request.Canary.Result, ["steps_completed"] = request.Canary.StepsCompleted, ["analyses"] = request.Canary.Analyses.Count,
                ["rollback_ms"] = request.Canary.Rollback?.TriggerToAckMs, ["rollback_hosts"] = request.Canary.Rollback?.Acknowledged.Count,
            },
            ["replay_bundle"] = bundle.ManifestSha256,
        };
        var index = await services.AppendOnceAsync(services.Entry(LedgerKinds.DeployEvent, key, release, payload, release.Candidate.Id, active?.Map.Id), cancellationToken);
        return Outcome(request, index, bundle.ManifestSha256);
    }

    private static StageOutcome Outcome(DeployEventRequest request, long index, string bundle) =>
        new(ReleaseStages.AuditRecord, "PASS", [], new Dictionary<string, string> { ["deploy_event"] = $"deploy:{request.ReleaseId}", ["result"] = request.Result, ["replay_bundle"] = bundle }, index);
}
