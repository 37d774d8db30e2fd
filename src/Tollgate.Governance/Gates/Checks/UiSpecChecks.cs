using Tollgate.Governance.Approvals;
using Tollgate.Governance.Identity;

namespace Tollgate.Governance.Gates.Checks;

/// <summary>Seed 000 §5.4: APPROVE needs a two-step confirmation.</summary>
public sealed class TwoStepApprovalCheck : GateCheck
{
    public override string Id => "UI-01";
    public override GateName Gate => GateName.UiSpec;
    public override string Title => "APPROVE is two-step: a one-time challenge, confirmed in time by the same approver";

    public override Task<CheckResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        // Exercised, not assumed: a confirm without a challenge, and one with a wrong challenge, must both be refused.
        var approval = ApprovalProbe.Pending(challenge: null);
        var withoutChallenge = ApprovalRules.Check(approval, new Confirm(ApprovalProbe.Approver, ApprovalProbe.At, "anything"), []);
        var withChallenge = ApprovalProbe.Pending(new PendingChallenge(ApprovalProbe.Approver.Subject, ApprovalRules.HashChallenge("right"),
            ApprovalProbe.At.AddMinutes(1), 2));
        var wrongChallenge = ApprovalRules.Check(withChallenge, new Confirm(ApprovalProbe.Approver, ApprovalProbe.At, "wrong"), []);
        var rightChallenge = ApprovalRules.Check(withChallenge, new Confirm(ApprovalProbe.Approver, ApprovalProbe.At, "right"), []);
        if (withoutChallenge?.Reason != GovernanceReasons.NoChallenge || wrongChallenge?.Reason != GovernanceReasons.ChallengeInvalid || rightChallenge is not null)
            return Task.FromResult(Return("UI-APPROVAL-NOT-TWO-STEP", "The approval rules confirm without the right challenge."));
        return Task.FromResult(Pass($"Confirm refuses a missing or wrong challenge; a challenge lives {context.Approvals.ChallengeTtl.TotalSeconds:0} s."));
    }
}

/// <summary>Seed 000 §5.4: APPROVE is disabled while VETO or RETURN stands.</summary>
public sealed class VetoLocksApprovalCheck : GateCheck
{
    public override string Id => "UI-02";
    public override GateName Gate => GateName.UiSpec;
    public override string Title => "APPROVE disabled under VETO/RETURN";

    public override Task<CheckResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        var approve = new Approve(ApprovalProbe.Approver, ApprovalProbe.At);
        var vetoed = ApprovalRules.Check(ApprovalProbe.Pending(null) with { State = ApprovalState.Vetoed }, approve, []);
        var returned = ApprovalRules.Check(ApprovalProbe.Pending(null) with { State = ApprovalState.Returned }, approve, []);
        var gateVeto = ApprovalRules.Check(ApprovalProbe.Pending(null), approve, [new StandingVerdict("RISK_COMPLIANCE", "VETO", "probe", ["RISK-PROBE"])]);
        if (vetoed?.Reason != GovernanceReasons.BlockedByVeto || returned?.Reason != GovernanceReasons.BlockedByReturn || gateVeto?.Reason != GovernanceReasons.BlockedByGate)
            return Task.FromResult(Return("UI-VETO-NOT-LOCKING", "The approval rules let APPROVE through under a VETO or RETURN."));
        return Task.FromResult(Pass("APPROVE is refused under a recorded VETO, a RETURN, and a gate's standing VETO."));
    }
}

/// <summary>A pending approval used to exercise the rules, for nobody and nothing.</summary>
internal static class ApprovalProbe
{
    public static readonly DateTimeOffset At = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly Principal Approver = new("probe-trader", null, new HashSet<Role> { Role.Trader }, false);

    public static ApprovalCase Pending(PendingChallenge? challenge) => new("probe", new ApprovalSubject(SubjectKind.ActivateVersionMap,
        Environments.DeploymentEnvironment.Research, "probe"), "probe-operator", "probe-operator", "probe-release", null, "probe", At,
        ApprovalState.Pending, challenge, null, [], [new ApprovalStepRecord(1, ApprovalSteps.Request, "probe-operator", At, [], "probe", 0)]);
}
