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
/// Evaluates release gates and records every evaluation as a <c>gate_result</c> ledger entry before answering, then
/// as a row in its gate and release's partition, newest first, so the latest one is that gate's standing verdict
/// for the release, which approvals of the release respect. Evaluations never wait on one another.
/// </summary>
/// <remarks>
/// A host that stops between the ledger entry and the row leaves that evaluation out of the standing verdict (the
/// previous one stands until the next evaluation); reading it by id still finds it in the ledger. The caller never
/// got its answer in that case, so CI evaluates again.
/// </remarks>
public sealed partial class GateService(
    GovernanceTable table, IAuditLog audit, VersionMapService versionMaps, IContentStore content, KillSwitchService killSwitch,
    ApprovalOptions approvalOptions, TimeProvider clock, IOrderPathStatus? orderPath = null) : IGateVerdicts
{
    private readonly RecentlyVerified verified = new(clock);
    private long lastTicks;

    /// <summary>The evaluation's time in ticks, later than every earlier one of this host even within one clock tick: the newest stands.</summary>
    private long NextTicks(DateTimeOffset at)
    {
        while (true)
        {
            var last = Interlocked.Read(ref lastTicks);
            var next = Math.Max(last + 1, at.UtcTicks);
            if (Interlocked.CompareExchange(ref lastTicks, next, last) == last) return next;
        }
    }

    public async Task<GateEvaluation> EvaluateAsync(Principal caller, GateName gate, GateRequest request, CancellationToken cancellationToken)
    {
        EnvironmentPolicy.CheckActor(caller, request.Environment);
        var context = new GateContext(request, versionMaps, audit, content, killSwitch, approvalOptions, verified, orderPath ?? NoOrderPath.Instance, clock.GetUtcNow());
        var checks = new List<CheckResult>();
        foreach (var check in GateCatalog.Of(gate)) checks.Add(await check.EvaluateAsync(context, cancellationToken));
        var verdict = GateNames.Combine(checks);
        // Evaluations never wait for each other: each has its own id, newest first in its gate and release's partition.
        var at = clock.GetUtcNow();
        var row = RecordKeys.NewestFirstTicks(NextTicks(at)) + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var id = $"eval-{GateNames.Of(gate)}-{ReleaseHash(request.ReleaseId)}-{row}";
        var entry = Entry(LedgerKey(id), caller, gate, verdict, checks, request, id, at);
        var receipt = await audit.AppendAsync(entry, cancellationToken);
        await table.TryInsertAsync(Partition(gate, request.ReleaseId), row, ProjectedEntry.Json(entry, receipt.Index), cancellationToken);
        return Evaluation(gate, entry, receipt.Index);
    }

    /// <exception cref="GovernanceException"><see cref="GovernanceReasons.EvaluationNotFound"/>.</exception>
    public async Task<GateEvaluation> GetAsync(string evaluationId, CancellationToken cancellationToken)
    {
        var match = EvaluationIdPattern().Match(evaluationId);
        if (!match.Success) throw NotFound(evaluationId);
        var gate = GateNames.Parse(match.Groups[1].Value);
        if (await table.GetAsync($"gate-{match.Groups[1].Value}-{match.Groups[2].Value}", match.Groups[3].Value, cancellationToken) is { } row)
            return Read(gate, row);
        // In the ledger but not in the table (the host stopped between the two writes): the ledger is the record.
        if (audit.Find(LedgerKey(evaluationId)) is { } index) return Evaluation(gate, await audit.ReadAsync(index, cancellationToken), index);
        throw NotFound(evaluationId);
    }

    /// <summary>Each gate's latest verdict for the release (gates never evaluated for it are absent).</summary>
    public async Task<IReadOnlyList<StandingVerdict>> StandingAsync(string releaseId, CancellationToken cancellationToken)
    {
        var standing = new List<StandingVerdict>();
        foreach (var gate in GateNames.All)
        {
            if ((await table.QueryAsync(Partition(gate, releaseId), "", 1, cancellationToken)).FirstOrDefault() is not { } latest) continue;
            var evaluation = Read(gate, latest);
            standing.Add(new StandingVerdict(GateNames.Of(gate), GateNames.Of(evaluation.Verdict), evaluation.EvaluationId,
                [.. evaluation.Checks.SelectMany(check => check.ReasonCodes).Distinct()]));
        }
        return standing;
    }

    private static string Partition(GateName gate, string releaseId) => $"gate-{GateNames.Of(gate)}-{ReleaseHash(releaseId)}";

    private static string LedgerKey(string evaluationId) => $"gate:{evaluationId}";

    private static string ReleaseHash(string releaseId) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(releaseId)))[..16];

    private static GovernanceException NotFound(string id) =>
        new(GovernanceReasons.EvaluationNotFound, $"No gate evaluation has id '{Requests.RequestObject.Printable(id)}'.");

    private static GateEvaluation Read(GateName gate, StoredRecord row)
    {
        var (entry, index) = ProjectedEntry.Read(row);
        return Evaluation(gate, entry, index);
    }

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

    private static GateEvaluation Evaluation(GateName gate, LedgerEntry entry, long ledgerIndex)
    {
        var payload = entry.Payload();
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
        var request = new GateRequest(EnvironmentCatalog.Parse(entry.Fields.Environment), payload.GetProperty("release_id").GetString()!,
            payload.GetProperty("version_map_id").ValueKind == JsonValueKind.String ? payload.GetProperty("version_map_id").GetString() : null,
            payload.GetProperty("document_index") is { ValueKind: JsonValueKind.Array } index
                ? [.. index.EnumerateArray().Select(document => new IndexedDocument(document.GetProperty("doc_key").GetString()!,
                    document.GetProperty("version").GetString()!, document.GetProperty("status").GetString()!))]
                : null,
            payload.GetProperty("veto_reason_codes") is { ValueKind: JsonValueKind.Array } codes
                ? [.. codes.EnumerateArray().Select(code => new VetoCode(code.GetProperty("code").GetString()!, code.GetProperty("description").GetString()!))]
                : null);
        return new GateEvaluation(payload.GetProperty("evaluation_id").GetString()!, gate, GateNames.Combine(checks), checks, request,
            entry.Fields.Actor, entry.Fields.Time, ledgerIndex);
    }

    [GeneratedRegex(@"^eval-(VERSION_AUDIT|RISK_COMPLIANCE|EXECUTION_CONTROL|UI_SPEC)-([0-9a-f]{16})-([0-9]{19}[0-9a-f]{8})\z")]
    private static partial Regex EvaluationIdPattern();
}
