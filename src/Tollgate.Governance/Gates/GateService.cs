using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tollgate.Governance.Approvals;
using Tollgate.Governance.Audit;
using Tollgate.Governance.Environments;
using Tollgate.Governance.Identity;
using Tollgate.Governance.KillSwitch;
using Tollgate.Governance.Storage;
using Tollgate.Governance.VersionMaps;
using Tollgate.Ledger.Entries;

namespace Tollgate.Governance.Gates;

/// <summary>
/// Evaluates release gates and records every evaluation as a <c>gate_result</c> ledger entry before answering. The
/// evaluations of one gate for one release form an audited stream, so the latest one is that gate's standing
/// verdict for the release, which approvals of the release respect.
/// </summary>
public sealed partial class GateService(
    GovernanceTable table, IAuditLog audit, VersionMapService versionMaps, IContentStore content, KillSwitchService killSwitch,
    ApprovalOptions approvalOptions, TimeProvider clock) : IGateVerdicts
{
    /// <summary>Each lost attempt means another evaluation was recorded, so this only bounds heavy contention.</summary>
    private const int MaxAttempts = 32;

    public async Task<GateEvaluation> EvaluateAsync(Principal caller, GateName gate, GateRequest request, CancellationToken cancellationToken)
    {
        EnvironmentPolicy.CheckActor(caller, request.Environment);
        var context = new GateContext(request, versionMaps, audit, content, killSwitch, approvalOptions);
        var checks = new List<CheckResult>();
        foreach (var check in GateCatalog.Of(gate)) checks.Add(await check.EvaluateAsync(context, cancellationToken));
        var verdict = GateNames.Combine(checks);
        var stream = Stream(gate, request.ReleaseId);
        for (var attempt = 0; ; attempt++)
        {
            var latest = await stream.LatestAsync(cancellationToken);
            var sequence = (latest?.Sequence ?? 0) + 1;
            var id = EvaluationId(gate, request.ReleaseId, sequence);
            try
            {
                var record = await stream.AppendAsync(sequence - 1, key => Entry(key, caller, gate, verdict, checks, request, id, clock.GetUtcNow()), cancellationToken);
                return Evaluation(gate, record);
            }
            catch (StreamConflictException) when (attempt < MaxAttempts - 1)
            {
                // Another evaluation of the same gate and release landed first; this one is simply the next.
            }
            catch (StreamConflictException)
            {
                throw new GovernanceException(GovernanceReasons.GateConflict,
                    $"{MaxAttempts} other evaluations of {GateNames.Of(gate)} for {request.ReleaseId} landed while this one was recorded; evaluate again.");
            }
        }
    }

    /// <exception cref="GovernanceException"><see cref="GovernanceReasons.EvaluationNotFound"/>.</exception>
    public async Task<GateEvaluation> GetAsync(string evaluationId, CancellationToken cancellationToken)
    {
        var match = EvaluationIdPattern().Match(evaluationId);
        if (!match.Success) throw NotFound(evaluationId);
        var gate = GateNames.Parse(match.Groups[1].Value);
        var sequence = long.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture);
        var stream = new AuditedStream(table, audit, $"gate-{match.Groups[1].Value}-{match.Groups[2].Value}");
        var records = await stream.ReadAsync(int.MaxValue, cancellationToken);
        return records.FirstOrDefault(record => record.Sequence == sequence) is { } found ? Evaluation(gate, found) : throw NotFound(evaluationId);
    }

    /// <summary>Each gate's latest verdict for the release (gates never evaluated for it are absent).</summary>
    public async Task<IReadOnlyList<StandingVerdict>> StandingAsync(string releaseId, CancellationToken cancellationToken)
    {
        var standing = new List<StandingVerdict>();
        foreach (var gate in GateNames.All)
        {
            if (await Stream(gate, releaseId).LatestAsync(cancellationToken) is not { } latest) continue;
            var evaluation = Evaluation(gate, latest);
            standing.Add(new StandingVerdict(GateNames.Of(gate), GateNames.Of(evaluation.Verdict), evaluation.EvaluationId,
                [.. evaluation.Checks.SelectMany(check => check.ReasonCodes).Distinct()]));
        }
        return standing;
    }

    private AuditedStream Stream(GateName gate, string releaseId) => new(table, audit, $"gate-{GateNames.Of(gate)}-{ReleaseHash(releaseId)}");

    private static string ReleaseHash(string releaseId) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(releaseId)))[..16];

    private static string EvaluationId(GateName gate, string releaseId, long sequence) =>
        $"eval-{GateNames.Of(gate)}-{ReleaseHash(releaseId)}-{sequence.ToString(CultureInfo.InvariantCulture)}";

    private static GovernanceException NotFound(string id) =>
        new(GovernanceReasons.EvaluationNotFound, $"No gate evaluation has id '{Requests.RequestObject.Printable(id)}'.");

    private static LedgerEntry Entry(string key, Principal caller, GateName gate, GateVerdict verdict, IReadOnlyList<CheckResult> checks,
        GateRequest request, string evaluationId, DateTimeOffset at)
    {
        var payload = new JsonObject
        {
            ["gate"] = GateNames.Of(gate),
            ["verdict"] = GateNames.Of(verdict),
            ["evaluation_id"] = evaluationId,
            ["release_id"] = request.ReleaseId,
            ["version_map_id"] = request.VersionMapId,
            ["checks"] = new JsonArray([.. checks.Select(check => (JsonNode)new JsonObject
            {
                ["id"] = check.Id,
                ["verdict"] = GateNames.Of(check.Verdict),
                ["reason_codes"] = new JsonArray([.. check.ReasonCodes.Select(code => (JsonNode)code)]),
                ["detail"] = check.Detail,
            })]),
            ["document_index"] = request.DocumentIndex is { } index
                ? new JsonArray([.. index.Select(document => (JsonNode)new JsonObject
                {
                    ["doc_key"] = document.DocKey, ["version"] = document.Version, ["status"] = document.Status,
                })])
                : null,
            ["veto_reason_codes"] = request.VetoReasonCodes is { } codes
                ? new JsonArray([.. codes.Select(code => (JsonNode)new JsonObject { ["code"] = code.Code, ["description"] = code.Description })])
                : null,
        };
        return LedgerEntry.Create(new LedgerEntryFields("gate_result", key, at, caller.Subject, request.ReleaseId, request.Environment.ToString(),
            [.. new[] { request.ReleaseId, request.VersionMapId }.OfType<string>()]), payload);
    }

    private static GateEvaluation Evaluation(GateName gate, StreamRecord record)
    {
        var payload = record.Payload;
        var checks = payload.GetProperty("checks").EnumerateArray().Select(check => new CheckResult(
            check.GetProperty("id").GetString()!,
            check.GetProperty("verdict").GetString() switch
            {
                "PASS" => CheckVerdict.Pass,
                "VETO" => CheckVerdict.Veto,
                "RETURN" => CheckVerdict.Return,
                _ => CheckVerdict.NotEvaluable,
            },
            [.. check.GetProperty("reason_codes").EnumerateArray().Select(code => code.GetString()!)],
            check.GetProperty("detail").GetString()!)).ToList();
        var request = new GateRequest(EnvironmentCatalog.Parse(record.Entry.Fields.Environment), payload.GetProperty("release_id").GetString()!,
            payload.GetProperty("version_map_id").ValueKind == JsonValueKind.String ? payload.GetProperty("version_map_id").GetString() : null,
            payload.GetProperty("document_index") is { ValueKind: JsonValueKind.Array } index
                ? [.. index.EnumerateArray().Select(document => new IndexedDocument(document.GetProperty("doc_key").GetString()!,
                    document.GetProperty("version").GetString()!, document.GetProperty("status").GetString()!))]
                : null,
            payload.GetProperty("veto_reason_codes") is { ValueKind: JsonValueKind.Array } codes
                ? [.. codes.EnumerateArray().Select(code => new VetoCode(code.GetProperty("code").GetString()!, code.GetProperty("description").GetString()!))]
                : null);
        return new GateEvaluation(payload.GetProperty("evaluation_id").GetString()!, gate, GateNames.Combine(checks), checks, request,
            record.Entry.Fields.Actor, record.Entry.Fields.Time, record.LedgerIndex);
    }

    [GeneratedRegex(@"^eval-(VERSION_AUDIT|RISK_COMPLIANCE|EXECUTION_CONTROL|UI_SPEC)-([0-9a-f]{16})-([1-9][0-9]{0,9})\z")]
    private static partial Regex EvaluationIdPattern();
}
