using System.Text.Json;
using Tollgate.Governance.Audit;

namespace Tollgate.Governance.Approvals;

public enum ApprovalState { Pending, Approved, Vetoed, Returned, Withdrawn }

/// <summary>The steps an approval records, each a ledger entry (kind <c>approval</c>, payload <c>step</c>).</summary>
public static class ApprovalSteps
{
    public const string Request = "REQUEST";
    public const string Challenge = "CHALLENGE";
    public const string Confirm = "CONFIRM";
    public const string Veto = "VETO";
    public const string Return = "RETURN";
    public const string Resubmit = "RESUBMIT";
    public const string Withdraw = "WITHDRAW";

    public static readonly string[] All = [Request, Challenge, Confirm, Veto, Return, Resubmit, Withdraw];
}

/// <summary>A challenge handed to an approver by the first step; only its hash is kept.</summary>
public sealed record PendingChallenge(string Approver, string Sha256, DateTimeOffset ExpiresAt, long Sequence);

/// <summary>One recorded step, as the history shows it.</summary>
public sealed record ApprovalStepRecord(long Sequence, string Step, string Actor, DateTimeOffset At, IReadOnlyList<string> ReasonCodes, string? Reason, long LedgerIndex);

/// <summary>
/// An approval as its recorded steps make it (the fold of its stream): who asked for what, where it stands, and
/// every step so far. Never stored as such: the steps are the record.
/// </summary>
public sealed record ApprovalCase(
    string Id, ApprovalSubject Subject, string Requester, string? Operator, string? ReleaseId, string? InstanceId, string Reason,
    DateTimeOffset RequestedAt, ApprovalState State, PendingChallenge? Challenge, string? DecidedBy, IReadOnlyList<string> ReasonCodes,
    IReadOnlyList<ApprovalStepRecord> Steps)
{
    public long Sequence => Steps[^1].Sequence;

    /// <summary>Folds the records of an approval's stream, oldest first.</summary>
    public static ApprovalCase Fold(string id, IReadOnlyList<StreamRecord> oldestFirst)
    {
        if (oldestFirst.Count == 0 || Text(oldestFirst[0].Payload, "step") != ApprovalSteps.Request)
            throw new InvalidDataException($"Approval {id} does not start with a REQUEST.");
        var request = oldestFirst[0].Payload;
        var subject = request.GetProperty("subject");
        var current = new ApprovalCase(id,
            new ApprovalSubject(ApprovalSubject.ParseKind(Text(subject, "kind")!), Environments.EnvironmentCatalog.Parse(Text(subject, "environment")),
                Text(subject, "reference")!),
            oldestFirst[0].Entry.Fields.Actor, Text(request, "operator"), Text(request, "release_id"), Text(request, "instance_id"),
            Text(request, "reason")!, oldestFirst[0].Entry.Fields.Time, ApprovalState.Pending, null, null, [], []);
        foreach (var record in oldestFirst) current = current.With(record);
        return current;
    }

    private ApprovalCase With(StreamRecord record)
    {
        var payload = record.Payload;
        var step = Text(payload, "step")!;
        var actor = record.Entry.Fields.Actor;
        var codes = payload.TryGetProperty("reason_codes", out var list) ? list.EnumerateArray().Select(code => code.GetString()!).ToList() : [];
        var history = new ApprovalStepRecord(record.Sequence, step, actor, record.Entry.Fields.Time, codes, Text(payload, "reason"), record.LedgerIndex);
        var next = this with { Steps = [.. Steps, history] };
        return step switch
        {
            ApprovalSteps.Request => next,
            ApprovalSteps.Challenge => next with
            {
                Challenge = new PendingChallenge(actor, Text(payload, "challenge_sha256")!,
                    DateTimeOffset.Parse(Text(payload, "expires_at")!, System.Globalization.CultureInfo.InvariantCulture), record.Sequence),
            },
            ApprovalSteps.Confirm => next with { State = ApprovalState.Approved, DecidedBy = actor },
            ApprovalSteps.Veto => next with { State = ApprovalState.Vetoed, DecidedBy = actor, ReasonCodes = codes, Challenge = null },
            ApprovalSteps.Return => next with { State = ApprovalState.Returned, DecidedBy = actor, ReasonCodes = codes, Challenge = null },
            ApprovalSteps.Resubmit => next with { State = ApprovalState.Pending, DecidedBy = null, ReasonCodes = [] },
            ApprovalSteps.Withdraw => next with { State = ApprovalState.Withdrawn, Challenge = null },
            _ => throw new InvalidDataException($"Approval {Id} records an unknown step '{step}'."),
        };
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
