using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tollgate.Governance.Audit;
using Tollgate.Governance.Environments;
using Tollgate.Governance.Identity;
using Tollgate.Governance.Storage;
using Tollgate.Ledger.Entries;

namespace Tollgate.Governance.Approvals;

/// <summary>
/// Two-step, four-eyes approvals (seed 000 §5.4, §13.2; seed 001 §4.1). Each approval is an audited stream: every
/// step is a ledger entry before it counts, and the next step number is taken by exactly one writer, so a double
/// confirm or two racing decisions cannot both land.
/// </summary>
public sealed class ApprovalService(
    GovernanceTable table, IAuditLog audit, IGateVerdicts gates, IApprovalNotifier notifier, ApprovalOptions options, TimeProvider clock,
    ILogger<ApprovalService>? logger = null)
{
    private const string ListPartition = "approvals";
    private readonly ILogger logger = logger ?? NullLogger<ApprovalService>.Instance;

    public async Task<ApprovalCase> RequestAsync(Principal caller, ApprovalSubject subject, string? operatorId, string? releaseId, string? instanceId,
        string reason, CancellationToken cancellationToken)
    {
        EnvironmentPolicy.CheckActor(caller, subject.Environment);
        var id = "ap-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        var now = clock.GetUtcNow();
        var payload = Payload(id, ApprovalSteps.Request, subject, reason);
        payload["requester"] = caller.Subject;
        payload["operator"] = operatorId ?? caller.Subject;
        payload["release_id"] = releaseId;
        payload["instance_id"] = instanceId;
        payload["subject"] = new JsonObject
        {
            ["kind"] = subject.KindName, ["environment"] = subject.Environment.ToString(), ["reference"] = subject.Reference,
        };
        await Stream(id).AppendAsync(0, key => Entry(key, caller, subject, releaseId ?? id, now, payload), cancellationToken);
        // The listing is a projection for GET /approvals; the approval itself is its stream.
        var listed = RecordKeys.NewestFirst(now) + "-" + id;
        await table.TryInsertAsync(ListPartition, listed, id, cancellationToken);
        return await GetAsync(id, cancellationToken);
    }

    /// <exception cref="GovernanceException"><see cref="GovernanceReasons.ApprovalNotFound"/>.</exception>
    public async Task<ApprovalCase> GetAsync(string id, CancellationToken cancellationToken)
    {
        // Only ids this service makes reach storage: a table key may not hold every character a URL can carry.
        if (!IsApprovalId(id)) throw new GovernanceException(GovernanceReasons.ApprovalNotFound, $"No approval has id '{Requests.RequestObject.Printable(id)}'.");
        var records = await Stream(id).ReadAsync(int.MaxValue, cancellationToken);
        if (records.Count == 0) throw new GovernanceException(GovernanceReasons.ApprovalNotFound, $"No approval has id '{id}'.");
        return ApprovalCase.Fold(id, [.. records.Reverse()]);
    }

    /// <summary>The newest approvals first.</summary>
    public async Task<IReadOnlyList<ApprovalCase>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        var rows = await table.QueryAsync(ListPartition, "", limit, cancellationToken);
        var found = new List<ApprovalCase>();
        foreach (var row in rows) found.Add(await GetAsync(row.Json, cancellationToken));
        return found;
    }

    /// <summary>Step one of APPROVE: records a challenge (its hash) and returns it, once, to the approver.</summary>
    public async Task<(ApprovalCase Approval, string Challenge)> ApproveAsync(Principal caller, string id, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var challenge = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var approval = await DecideAsync(caller, id, new Approve(caller, now), (current, payload) =>
        {
            payload["challenge_sha256"] = ApprovalRules.HashChallenge(challenge);
            payload["expires_at"] = (now + options.ChallengeTtl).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        }, cancellationToken);
        return (approval, challenge);
    }

    /// <summary>Step two: the challenge, by the same approver, in time, with no VETO or RETURN standing.</summary>
    public Task<ApprovalCase> ConfirmAsync(Principal caller, string id, string challenge, CancellationToken cancellationToken) =>
        DecideAsync(caller, id, new Confirm(caller, clock.GetUtcNow(), challenge), (_, _) => { }, cancellationToken);

    public Task<ApprovalCase> VetoAsync(Principal caller, string id, IReadOnlyList<string> reasonCodes, string? reason, CancellationToken cancellationToken) =>
        DecideAsync(caller, id, new Veto(caller, clock.GetUtcNow(), reasonCodes, reason), (_, payload) => payload["reason_codes"] = Codes(reasonCodes),
            cancellationToken);

    public Task<ApprovalCase> ReturnAsync(Principal caller, string id, IReadOnlyList<string> reasonCodes, string? reason, CancellationToken cancellationToken) =>
        DecideAsync(caller, id, new Return(caller, clock.GetUtcNow(), reasonCodes, reason), (_, payload) => payload["reason_codes"] = Codes(reasonCodes),
            cancellationToken);

    public Task<ApprovalCase> ResubmitAsync(Principal caller, string id, string reason, CancellationToken cancellationToken) =>
        DecideAsync(caller, id, new Resubmit(caller, clock.GetUtcNow(), reason), (_, _) => { }, cancellationToken);

    public Task<ApprovalCase> WithdrawAsync(Principal caller, string id, string reason, CancellationToken cancellationToken) =>
        DecideAsync(caller, id, new Withdraw(caller, clock.GetUtcNow(), reason), (_, _) => { }, cancellationToken);

    /// <summary>
    /// For whoever carries a subject out: the approval must be APPROVED, for exactly this subject, and decided by
    /// someone other than <paramref name="executor"/>.
    /// </summary>
    public async Task<ApprovalCase> RequireApprovedAsync(string? id, ApprovalSubject subject, Principal executor, CancellationToken cancellationToken)
    {
        if (id is null)
            throw new GovernanceException(GovernanceReasons.ApprovalRequired,
                $"{subject.Environment} is governed as Live: {subject} needs an approved approval (request one, and have a Trader approve it).");
        var approval = await GetAsync(id, cancellationToken);
        if (approval.Subject != subject)
            throw new GovernanceException(GovernanceReasons.SubjectMismatch, $"Approval {id} is for {approval.Subject}, not {subject}.");
        if (approval.State != ApprovalState.Approved)
            throw new GovernanceException(approval.State switch
            {
                ApprovalState.Vetoed => GovernanceReasons.BlockedByVeto,
                ApprovalState.Returned => GovernanceReasons.BlockedByReturn,
                _ => GovernanceReasons.ApprovalRequired,
            }, $"Approval {id} is {approval.State}, not Approved.");
        if (approval.DecidedBy == executor.Subject)
            throw new GovernanceException(GovernanceReasons.FourEyes, $"{executor.Subject} approved {subject}, so cannot also carry it out.");
        return approval;
    }

    private async Task<ApprovalCase> DecideAsync(Principal caller, string id, ApprovalCommand command, Action<ApprovalCase, JsonObject> details,
        CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var approval = await GetAsync(id, cancellationToken);
            EnvironmentPolicy.CheckActor(caller, approval.Subject.Environment);
            var standing = command is Approve or Confirm && approval.ReleaseId is { } release ? await gates.StandingAsync(release, cancellationToken) : [];
            if (ApprovalRules.Check(approval, command, standing) is { } refusal) throw refusal;
            var payload = Payload(id, StepOf(command), approval.Subject, ReasonOf(command));
            details(approval, payload);
            try
            {
                await Stream(id).AppendAsync(approval.Sequence,
                    key => Entry(key, caller, approval.Subject, approval.ReleaseId ?? id, command.At, payload), cancellationToken);
            }
            catch (StreamConflictException) when (attempt < 3)
            {
                // Someone decided first: judge this command again against what they recorded.
                continue;
            }
            catch (StreamConflictException)
            {
                throw new GovernanceException(GovernanceReasons.ApprovalConflict, $"Approval {id} kept changing while this decision was made; read it again.");
            }
            var decided = await GetAsync(id, cancellationToken);
            if (command is not Approve and not Resubmit) await NotifyAsync(decided, cancellationToken);
            return decided;
        }
    }

    private async Task NotifyAsync(ApprovalCase decided, CancellationToken cancellationToken)
    {
        if (decided.InstanceId is null) return;
        try
        {
            await notifier.NotifyAsync(decided, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Approval {Approval} is {State}, but instance {Instance} could not be told: {Error}",
                decided.Id, decided.State, decided.InstanceId, e.Message);
        }
    }

    private AuditedStream Stream(string id) => new(table, audit, "approval-" + id);

    private static bool IsApprovalId(string id) => id.Length == 23 && id.StartsWith("ap-", StringComparison.Ordinal) && id[3..].All(char.IsAsciiHexDigitLower);

    private static string StepOf(ApprovalCommand command) => command switch
    {
        Approve => ApprovalSteps.Challenge,
        Confirm => ApprovalSteps.Confirm,
        Veto => ApprovalSteps.Veto,
        Return => ApprovalSteps.Return,
        Resubmit => ApprovalSteps.Resubmit,
        Withdraw => ApprovalSteps.Withdraw,
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Not an approval command."),
    };

    private static string? ReasonOf(ApprovalCommand command) => command switch
    {
        Veto veto => veto.Reason,
        Return returned => returned.Reason,
        Resubmit resubmit => resubmit.Reason,
        Withdraw withdraw => withdraw.Reason,
        _ => null,
    };

    private static JsonObject Payload(string id, string step, ApprovalSubject subject, string? reason) => new()
    {
        ["approval_id"] = id,
        ["step"] = step,
        ["subject_ref"] = subject.ToString(),
        ["reason"] = reason,
    };

    private static JsonArray Codes(IReadOnlyList<string> codes) => new([.. codes.Select(code => (JsonNode)code)]);

    private static LedgerEntry Entry(string key, Principal caller, ApprovalSubject subject, string correlation, DateTimeOffset at, JsonObject payload) =>
        LedgerEntry.Create(new LedgerEntryFields("approval", key, at, caller.Subject, correlation, subject.Environment.ToString(), [subject.ToString()]),
            payload);
}
