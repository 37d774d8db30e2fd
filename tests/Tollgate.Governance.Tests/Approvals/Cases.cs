using Tollgate.Governance.Approvals;
using Tollgate.Governance.Environments;
using Tollgate.Governance.Identity;
using Tollgate.Governance.Tests.Support;

namespace Tollgate.Governance.Tests.Approvals;

/// <summary>Approvals in a given state, built directly, for the pure rules.</summary>
internal static class Cases
{
    public static readonly DateTimeOffset At = World.T0;
    public const string Challenge = "the-right-challenge";

    public static readonly ApprovalSubject Subject = new(SubjectKind.ActivateVersionMap, DeploymentEnvironment.Paper, "vm-0123456789abcdef");

    /// <summary>Requested by the operator, who also carries it out; decided by <see cref="People.Trader"/> where it has been decided.</summary>
    public static ApprovalCase In(ApprovalState state, PendingChallenge? challenge = null, string? operatorId = null) => new(
        "ap-test", Subject, People.Operator.Subject, operatorId ?? People.Operator.Subject, "rel-1", null, "release it", At, state, challenge,
        state is ApprovalState.Pending or ApprovalState.Withdrawn ? null : People.Trader.Subject,
        state is ApprovalState.Vetoed or ApprovalState.Returned ? ["RISK-TOO-HIGH"] : [],
        [new ApprovalStepRecord(1, ApprovalSteps.Request, People.Operator.Subject, At, [], "release it", 0)]);

    public static PendingChallenge ChallengeFor(Principal approver, string challenge = Challenge, TimeSpan? ttl = null) =>
        new(approver.Subject, ApprovalRules.HashChallenge(challenge), At + (ttl ?? TimeSpan.FromMinutes(2)), 2);

    public static ApprovalCase PendingWithChallenge(Principal? approver = null) =>
        In(ApprovalState.Pending, ChallengeFor(approver ?? People.Trader));
}
