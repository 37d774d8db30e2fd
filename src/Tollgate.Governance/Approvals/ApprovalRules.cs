using System.Security.Cryptography;
using System.Text;
using Tollgate.Governance.Identity;

namespace Tollgate.Governance.Approvals;

/// <summary>
/// Whether a command may be applied to an approval, as one switch on (state, command): null when it may, else the
/// refusal with its reason code. Pure: the service reads the approval and the standing gate verdicts, asks here,
/// and records only what is allowed. A VETO is final: no command leads out of <see cref="ApprovalState.Vetoed"/>,
/// whoever sends it (seed 000 §13.1: neither Operator nor Admin overrides a veto).
/// </summary>
public static class ApprovalRules
{
    public static GovernanceException? Check(ApprovalCase approval, ApprovalCommand command, IReadOnlyList<StandingVerdict> gates) =>
        (approval.State, command) switch
        {
            (ApprovalState.Vetoed, _) => Refuse(GovernanceReasons.BlockedByVeto,
                $"Approval {approval.Id} was vetoed by {approval.DecidedBy} ({string.Join(", ", approval.ReasonCodes)}); nothing can approve {approval.Subject}."),
            (ApprovalState.Withdrawn, _) => NotPending(approval, "was withdrawn"),

            (ApprovalState.Pending, Approve approve) => FourEyes(approval, approve.Caller) ?? GateBlock(approval, gates),
            (ApprovalState.Returned, Approve or Confirm) => Refuse(GovernanceReasons.BlockedByReturn,
                $"Approval {approval.Id} was returned by {approval.DecidedBy} ({string.Join(", ", approval.ReasonCodes)}); the requester must resubmit."),
            (ApprovalState.Approved, Approve) => NotPending(approval, $"was approved by {approval.DecidedBy}"),

            (ApprovalState.Pending, Confirm confirm) => CheckConfirm(approval, confirm) ?? GateBlock(approval, gates),
            // A second confirm of the same challenge: the first one counted, this one does nothing.
            (ApprovalState.Approved, Confirm) => Refuse(GovernanceReasons.ChallengeUsed, $"Approval {approval.Id} was already confirmed by {approval.DecidedBy}."),

            (ApprovalState.Pending or ApprovalState.Returned or ApprovalState.Approved, Veto veto) => NeedsCodes(veto.ReasonCodes),
            (ApprovalState.Pending, Return returned) => NeedsCodes(returned.ReasonCodes),
            (_, Return) => NotPending(approval, $"is {approval.State}, and only a pending approval can be returned"),

            (ApprovalState.Returned, Resubmit resubmit) => resubmit.Caller.Subject == approval.Requester
                ? null
                : Refuse(GovernanceReasons.RoleDenied, $"Only the requester ({approval.Requester}) resubmits approval {approval.Id}."),
            (_, Resubmit) => NotPending(approval, $"is {approval.State}, and only a returned approval can be resubmitted"),

            (ApprovalState.Pending or ApprovalState.Returned or ApprovalState.Approved, Withdraw withdraw) =>
                withdraw.Caller.Subject == approval.Requester || withdraw.Caller.Has(Role.Admin)
                    ? null
                    : Refuse(GovernanceReasons.RoleDenied, $"Only the requester ({approval.Requester}) or an Admin withdraws approval {approval.Id}."),

            _ => NotPending(approval, $"is {approval.State}"),
        };

    /// <summary>SHA-256 of a challenge, lowercase hex: what the ledger keeps instead of the challenge.</summary>
    public static string HashChallenge(string challenge) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(challenge)));

    /// <summary>Four-eyes: the approver is neither who asked nor who will carry the subject out.</summary>
    private static GovernanceException? FourEyes(ApprovalCase approval, Principal approver) =>
        approver.Subject == approval.Requester || approver.Subject == approval.Operator
            ? Refuse(GovernanceReasons.FourEyes,
                $"{approver.Subject} {(approver.Subject == approval.Requester ? "requested" : "operates")} {approval.Subject}, so cannot approve it; another Trader must.")
            : null;

    private static GovernanceException? CheckConfirm(ApprovalCase approval, Confirm confirm)
    {
        if (approval.Challenge is not { } challenge)
            return Refuse(GovernanceReasons.NoChallenge, $"Approval {approval.Id} has no challenge to confirm; approve first.");
        if (confirm.Caller.Subject != challenge.Approver)
            return Refuse(GovernanceReasons.WrongApprover, $"The challenge of approval {approval.Id} was issued to {challenge.Approver}, not {confirm.Caller.Subject}.");
        if (confirm.At > challenge.ExpiresAt)
            return Refuse(GovernanceReasons.ChallengeExpired, $"The challenge of approval {approval.Id} expired at {challenge.ExpiresAt:O}; approve again.");
        var presented = Encoding.ASCII.GetBytes(HashChallenge(confirm.Challenge));
        if (!CryptographicOperations.FixedTimeEquals(presented, Encoding.ASCII.GetBytes(challenge.Sha256)))
            return Refuse(GovernanceReasons.ChallengeInvalid, $"That is not the challenge of approval {approval.Id}.");
        return FourEyes(approval, confirm.Caller);
    }

    private static GovernanceException? GateBlock(ApprovalCase approval, IReadOnlyList<StandingVerdict> gates) =>
        gates.FirstOrDefault(gate => gate.Blocks) is { } blocking
            ? Refuse(GovernanceReasons.BlockedByGate,
                $"{blocking.Gate} returned {blocking.Verdict} for release {approval.ReleaseId} ({string.Join(", ", blocking.ReasonCodes)}; evaluation {blocking.EvaluationId}).")
            : null;

    private static GovernanceException? NeedsCodes(IReadOnlyList<string> codes) =>
        codes.Count == 0 ? Refuse(GovernanceReasons.ReasonCodesRequired, "VETO and RETURN carry at least one reason code.")
        : codes.FirstOrDefault(code => !ReasonCode.IsValid(code)) is { } bad
            ? Refuse(GovernanceReasons.InvalidRequest, $"'{Requests.RequestObject.Printable(bad)}' is not a reason code (upper-case letters, digits, '_', '-' or '.', 2-64 long).")
            : null;

    private static GovernanceException NotPending(ApprovalCase approval, string why) =>
        new(GovernanceReasons.NotPending, $"Approval {approval.Id} {why}.");

    private static GovernanceException Refuse(string reason, string message) => new(reason, message);
}
