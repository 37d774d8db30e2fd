using Tollgate.Governance.Audit;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Tollgate.Governance;
using Tollgate.Governance.Gates;
using Tollgate.Governance.Rollouts;
using Tollgate.Host.Api;
using Tollgate.Ledger.Entries;
using Tollgate.Release.Pipeline;
using Tollgate.Release.Policy;
using Tollgate.Workflows.Release;

namespace Tollgate.Host.Release;

/// <summary>Reason codes of the stages the host checks itself (Test, Package and Sign answer with the codes of <see cref="PipelineReasons"/>).</summary>
public static class StageReasons
{
    public const string BuildMap = "PIPE-BUILD-MAP";
    public const string BuildArtifactMissing = "PIPE-BUILD-ARTIFACT-MISSING";
    public const string BuildDigestMismatch = "PIPE-BUILD-DIGEST-MISMATCH";
    public const string BuildProvenance = "PIPE-BUILD-PROVENANCE";
    public const string TestReportMissing = "PIPE-TEST-REPORT-MISSING";
    public const string DeployNoHost = "PIPE-DEPLOY-NO-HOST";
    public const string DeployNotLoaded = "PIPE-DEPLOY-NOT-LOADED";
    public const string VerifyHealth = "PIPE-VERIFY-HEALTH";
    public const string VerifyGate = "PIPE-VERIFY-GATE";
    public const string VerifyKillSwitch = "PIPE-VERIFY-KILL-SWITCH";
}

/// <summary>
/// Build, Test, Package, Sign/Hash, Deploy and Verify (seed 000 §6.1): each checks, records one <c>release_stage</c>
/// ledger entry (key <c>release:{id}:stage:{stage}</c>, so a retried activity finds its first answer) and answers
/// PASS or FAIL with reason codes and the facts that decided it.
/// </summary>
public sealed class PreparationStages(ReleaseServices services, ConfigBundleStage bundles)
{
    /// <summary>The gate tests a code release's CI report must contain (seed 000 §5: one suite per gate).</summary>
    public static readonly IReadOnlyList<string> RequiredGateTests = ["*Gate*"];

    public async Task<StageOutcome> RunAsync(StageRequest request, CancellationToken cancellationToken)
    {
        var release = await services.ContextAsync(request.ReleaseId, cancellationToken);
        if (await services.FindOwnAsync(StageKey(request.ReleaseId, request.Stage), cancellationToken) is { } done) return await FromLedgerAsync(done, cancellationToken);
        var facts = new Dictionary<string, string>(StringComparer.Ordinal);
        var codes = new List<string>();
        switch (request.Stage)
        {
            case ReleaseStages.Build: await BuildAsync(release, facts, codes, cancellationToken); break;
            case ReleaseStages.Test:
                if (release.Policy.Kind == ReleaseKind.ConfigBundle) await bundles.TestAsync(release, facts, codes, cancellationToken);
                else await TestReportAsync(release, facts, codes, cancellationToken);
                break;
            case ReleaseStages.Package: await PackageAsync(release, facts, codes, cancellationToken); break;
            case ReleaseStages.Sign: await SignAsync(release, facts, codes, cancellationToken); break;
            case ReleaseStages.Deploy: await DeployAsync(release, facts, codes, cancellationToken); break;
            case ReleaseStages.Verify: await VerifyAsync(release, facts, codes, cancellationToken); break;
            default: throw new ArgumentException($"'{request.Stage}' is not a preparation stage", nameof(request));
        }
        return await RecordAsync(services, release, request.Stage, codes.Count == 0 ? "PASS" : "FAIL", codes.Distinct().ToList(), facts, cancellationToken);
    }

    /// <summary>The stage's ledger entry; its outcome.</summary>
    public static async Task<StageOutcome> RecordAsync(ReleaseServices services, ReleaseContext release, string stage, string result, IReadOnlyList<string> codes,
        IReadOnlyDictionary<string, string> facts, CancellationToken cancellationToken)
    {
        var payload = new JsonObject
        {
            ["release_id"] = release.Request.ReleaseId, ["stage"] = stage, ["result"] = result,
            ["reason_codes"] = JsonFacts.Strings(codes), ["facts"] = JsonFacts.Object(facts),
        };
        var index = await services.AppendOnceAsync(services.Entry(LedgerKinds.ReleaseStage, StageKey(release.Request.ReleaseId, stage), release, payload,
            release.Candidate.Id), cancellationToken);
        return new StageOutcome(stage, result, codes, facts, index);
    }

    /// <summary>The gate request of a release: its candidate map, with the document index and veto codes CI sent (checked when the release was started).</summary>
    public static GateRequest GateRequestOf(ReleaseContext release)
    {
        var inputs = System.Text.Json.Nodes.JsonNode.Parse(release.Request.GateInputs ?? "{}")!.AsObject();
        inputs["environment"] = release.Request.Environment;
        inputs["release_id"] = release.Request.ReleaseId;
        inputs["version_map_id"] = release.Candidate.Id;
        return GateApi.ParseRequest(Governance.Requests.RequestObject.Parse(Encoding.UTF8.GetBytes(inputs.ToJsonString()), [.. GateApi.Members]));
    }

    public static string StageKey(string releaseId, string stage) => GateWaivers.StageKey(releaseId, stage);

    private async Task<StageOutcome> FromLedgerAsync(long index, CancellationToken cancellationToken)
    {
        var p = (await services.Governance.Audit.ReadAsync(index, cancellationToken)).PayloadOf();
        return new StageOutcome(p.GetProperty("stage").GetString()!, p.GetProperty("result").GetString()!,
            [.. p.GetProperty("reason_codes").EnumerateArray().Select(c => c.GetString()!)],
            p.GetProperty("facts").EnumerateObject().ToDictionary(f => f.Name, f => f.Value.GetString()!, StringComparer.Ordinal), index);
    }

    /// <summary>Build: every artifact of the candidate map is in the object store and hashes to its declared digest; the provenance names the map's code.</summary>
    private async Task BuildAsync(ReleaseContext release, Dictionary<string, string> facts, List<string> codes, CancellationToken cancellationToken)
    {
        var map = release.Candidate;
        facts["map"] = map.Id;
        facts["commit"] = release.Request.Evidence.Commit;
        facts["ci_run_id"] = release.Request.Evidence.CiRunId;
        if (map.Environment != release.Environment) codes.Add(StageReasons.BuildMap);
        if (!string.Equals(map.Code, release.Request.Evidence.Commit, StringComparison.OrdinalIgnoreCase))
        {
            codes.Add(StageReasons.BuildProvenance);
            facts["provenance"] = $"the map's code version is {map.Code}, CI built {release.Request.Evidence.Commit}";
        }
        foreach (var artifact in map.Artifacts)
        {
            try
            {
                var bytes = await services.ReadObjectAsync(artifact.Digest, cancellationToken);
                if (bytes is null) { codes.Add(StageReasons.BuildArtifactMissing); facts[$"artifact:{artifact.Name}"] = $"{artifact.Digest} is not in the object store"; }
                else facts[$"artifact:{artifact.Name}"] = $"{artifact.Ref} {artifact.Digest} ({bytes.Length} bytes, digest verified)";
            }
            catch (DigestMismatchException e)
            {
                codes.Add(StageReasons.BuildDigestMismatch);
                facts[$"artifact:{artifact.Name}"] = e.Message;
            }
        }
    }

    /// <summary>Test (code release): CI's JUnit XML or TRX report, zero failures, the gate tests present.</summary>
    private async Task TestReportAsync(ReleaseContext release, Dictionary<string, string> facts, List<string> codes, CancellationToken cancellationToken)
    {
        if (release.Request.Evidence.TestReport is not { } digest || await services.ReadObjectAsync(digest, cancellationToken) is not { } report)
        {
            codes.Add(StageReasons.TestReportMissing);
            facts["test_report"] = release.Request.Evidence.TestReport ?? "none";
            return;
        }
        var verdict = new TestStagePolicy(RequiredGateTests).Evaluate(report);
        codes.AddRange(verdict.ReasonCodes);
        facts["test_report"] = digest;
        facts["verdict"] = verdict.ToJson().ToJsonString();
    }

    /// <summary>Package: the release bundle and its checksum manifest (seed 003) of the map, its artifacts, CI's report and the provenance.</summary>
    private async Task PackageAsync(ReleaseContext release, Dictionary<string, string> facts, List<string> codes, CancellationToken cancellationToken)
    {
        var members = new List<ReleaseMember> { ReleaseMember.FromBytes("version-map.json", Encoding.UTF8.GetBytes(release.Candidate.ToJson().ToJsonString())) };
        foreach (var artifact in release.Candidate.Artifacts)
            if (await services.ReadObjectAsync(artifact.Digest, cancellationToken) is { } bytes)
                members.Add(ReleaseMember.FromBytes($"artifacts/{artifact.Name}", bytes, artifact.Digest[7..]));
        foreach (var (name, digest) in new[] { ("test-report.xml", release.Request.Evidence.TestReport), ("bundle.json", release.Request.Bundle) })
            if (digest is not null && await services.ReadObjectAsync(digest, cancellationToken) is { } bytes)
                members.Add(ReleaseMember.FromBytes(name, bytes, digest[7..]));
        members.Add(ReleaseMember.FromBytes("provenance.json", Encoding.UTF8.GetBytes(new JsonObject
        {
            ["commit"] = release.Request.Evidence.Commit, ["ci_run_id"] = release.Request.Evidence.CiRunId, ["ci_run_url"] = release.Request.Evidence.CiRunUrl,
            ["requested_by"] = release.Request.RequestedBy, ["release_id"] = release.Request.ReleaseId,
        }.ToJsonString())));
        var result = ReleasePackage.Create(release.Request.ReleaseId, members);
        codes.AddRange(result.ReasonCodes);
        if (result.Package is { } package)
        {
            facts["bundle"] = await services.StoreObjectAsync(package.Bundle.ToArray(), cancellationToken);
            facts["manifest"] = await services.StoreObjectAsync(package.ManifestBytes.ToArray(), cancellationToken);
            facts["manifest_sha256"] = package.ManifestSha256;
            facts["members"] = package.Members.Count.ToString(CultureInfo.InvariantCulture);
        }
        else facts["problems"] = string.Join("; ", result.Problems);
    }

    /// <summary>Sign/Hash: the manifest signed with the release key from the secret store, then verified with the public key alone.</summary>
    private async Task SignAsync(ReleaseContext release, Dictionary<string, string> facts, List<string> codes, CancellationToken cancellationToken)
    {
        if (await services.FindOwnAsync(StageKey(release.Request.ReleaseId, ReleaseStages.Package), cancellationToken) is not { } packaged) { codes.Add(PipelineReasons.SignInvalid); return; }
        var packageFacts = (await services.Governance.Audit.ReadAsync(packaged, cancellationToken)).PayloadOf().GetProperty("facts");
        var manifest = await services.ReadObjectAsync(packageFacts.GetProperty("manifest").GetString()!, cancellationToken)
            ?? throw new InvalidOperationException("the package stage's manifest is not in the object store");
        var signed = await new ReleaseSigner(services.Secrets, new ReleaseSigningOptions(services.Settings.Release.SigningKeySecret)).SignAsync(
            packageFacts.GetProperty("manifest_sha256").GetString()!, cancellationToken);
        codes.AddRange(signed.ReasonCodes);
        facts["manifest_sha256"] = signed.ManifestSha256;
        if (signed.Signature is null || signed.PublicKey is null) { facts["problems"] = string.Join("; ", signed.Problems); return; }
        var check = ReleaseSignatureVerifier.Verify(signed.PublicKey, manifest, signed.Signature);
        codes.AddRange(check.ReasonCodes);
        facts["algorithm"] = signed.Algorithm!;
        facts["key_id"] = signed.KeyId!;
        facts["public_key"] = signed.PublicKey;
        facts["signature"] = await services.StoreObjectAsync(Encoding.UTF8.GetBytes(signed.Signature), cancellationToken);
        facts["verified"] = check.Verdict == StageVerdict.Pass ? "true" : "false";
    }

    /// <summary>Deploy (blue/green): the candidate is staged beside the active map at weight 0, and every data-plane host loads it without serving it.</summary>
    private async Task DeployAsync(ReleaseContext release, Dictionary<string, string> facts, List<string> codes, CancellationToken cancellationToken)
    {
        var current = await services.SplitAsync(release, cancellationToken);
        var staged = current is { IsActive: true } && current.ReleaseId == release.Request.ReleaseId
            ? current
            : await services.Governance.Splits.StageAsync(ReleaseServices.Principal, release.Environment, release.Request.ReleaseId, release.Candidate.Id,
                release.Policy.SplitBy == CanarySplit.Symbol ? SplitBy.Symbol : SplitBy.Decision, $"release {release.Request.ReleaseId}: staged beside {current?.StableMap ?? "the active map"}",
                current?.Sequence ?? 0, cancellationToken);
        facts["split_sequence"] = staged.Sequence.ToString(CultureInfo.InvariantCulture);
        facts["stable_map"] = staged.StableMap;
        var state = await AcknowledgementWaiter.WaitAsync(services, release.Environment, staged.Sequence, services.Clock.GetUtcNow().AddSeconds(30), cancellationToken, requireAny: true);
        facts["hosts"] = string.Join(", ", state.Acknowledged.Select(a => $"{a.HostId} (stable {a.StableRev}, canary {a.CanaryRev ?? "not loaded"})"));
        if (state.Acknowledged.Count == 0) codes.Add(StageReasons.DeployNoHost);
        var notLoaded = state.Acknowledged.Where(a => a.CanaryRev != release.Candidate.Config).Select(a => a.HostId).Concat(state.Missing).ToList();
        if (notLoaded.Count > 0)
        {
            codes.Add(StageReasons.DeployNotLoaded);
            facts["not_loaded"] = string.Join(", ", notLoaded);
        }
    }

    /// <summary>
    /// Verify: health, the four release gates (with CI's document index and veto codes), and the kill switch's
    /// preflight; any failure stops the line. A gate the policy waives may RETURN only for checks that could not be
    /// evaluated (a subsystem not built): the waiver is recorded with those checks, and a VETO is never waived.
    /// </summary>
    private async Task VerifyAsync(ReleaseContext release, Dictionary<string, string> facts, List<string> codes, CancellationToken cancellationToken)
    {
        var health = await services.Health.CheckAsync(cancellationToken);
        facts["health"] = $"{health.Status}: {string.Join("; ", health.Checks.Where(c => c.Status != HealthApi.Ok).Select(c => $"{c.Name} {c.Status}"))}";
        if (health.Status == HealthApi.Fail) codes.Add(StageReasons.VerifyHealth);
        var evaluations = await GateApi.EvaluateAllAsync(services.Governance.Gates, ReleaseServices.Principal, GateRequestOf(release), cancellationToken);
        var waived = new List<string>();
        foreach (var evaluation in evaluations)
        {
            var gate = GateNames.Of(evaluation.Gate);
            var unevaluated = evaluation.Checks.Where(c => c.Verdict == CheckVerdict.NotEvaluable).Select(c => c.Id).ToList();
            var waivable = evaluation.Verdict == GateVerdict.Return && release.Policy.WaivedGates.Contains(gate)
                && evaluation.Checks.All(c => c.Verdict is CheckVerdict.Pass or CheckVerdict.NotEvaluable);
            facts[$"gate:{gate}"] = waivable
                ? $"RETURN waived by policy {release.Policy.Rev}: not evaluable {string.Join(", ", unevaluated)} ({evaluation.EvaluationId})"
                : $"{GateNames.Of(evaluation.Verdict)} ({evaluation.EvaluationId}){(evaluation.Verdict == GateVerdict.Pass ? "" : ": " + string.Join(", ", evaluation.Checks.Where(c => c.Verdict != CheckVerdict.Pass).Select(c => $"{c.Id} {GateNames.Of(c.Verdict)}")))}";
            if (evaluation.Verdict != GateVerdict.Pass && !waivable) codes.Add(StageReasons.VerifyGate);
            if (waivable) waived.Add(evaluation.EvaluationId);
        }
        if (waived.Count > 0) facts[GateWaivers.Fact] = string.Join(",", waived);
        var preflight = await services.Governance.KillSwitch.PreflightAsync(release.Environment, cancellationToken);
        var engaged = (await services.Governance.KillSwitch.ReadAsync(release.Environment, cancellationToken)).Engaged;
        facts["kill_switch"] = preflight.Ok && !engaged ? "preflight OK, released" : $"{(engaged ? "engaged; " : "")}{string.Join("; ", preflight.Problems)}";
        if (!preflight.Ok || engaged) codes.Add(StageReasons.VerifyKillSwitch);
    }
}
