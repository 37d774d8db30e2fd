using Tollgate.Governance.Approvals;
using Tollgate.Governance.Tests.Support;
using static Tollgate.Governance.GovernanceReasons;

namespace Tollgate.Governance.Tests.Approvals;

/// <summary>Four-eyes, the two steps of APPROVE, standing gate verdicts and reason codes.</summary>
public sealed class ApprovalRulesDecisionTests
{
    private static string? Reason(ApprovalCase approval, ApprovalCommand command, params StandingVerdict[] gates) =>
        ApprovalRules.Check(approval, command, gates)?.Reason;

    [Fact]
    public void The_requester_cannot_approve_their_own_request() =>
        Assert.Equal(FourEyes, Reason(Cases.In(ApprovalState.Pending), new Approve(People.Operator, Cases.At)));

    [Fact]
    public void The_operator_named_in_the_request_cannot_approve_it()
    {
        var approval = Cases.In(ApprovalState.Pending, operatorId: People.SecondOperator.Subject);
        Assert.Equal(FourEyes, Reason(approval, new Approve(People.SecondOperator, Cases.At)));
        Assert.Null(Reason(approval, new Approve(People.Trader, Cases.At)));
    }

    [Fact]
    public void A_challenge_somehow_issued_to_the_requester_still_cannot_be_confirmed_by_them()
    {
        var approval = Cases.PendingWithChallenge(People.Operator);
        Assert.Equal(FourEyes, Reason(approval, new Confirm(People.Operator, Cases.At, Cases.Challenge)));
    }

    [Fact]
    public void Confirm_without_a_challenge_is_refused() =>
        Assert.Equal(NoChallenge, Reason(Cases.In(ApprovalState.Pending), new Confirm(People.Trader, Cases.At, Cases.Challenge)));

    [Fact]
    public void Only_the_approver_who_received_the_challenge_confirms_it() =>
        Assert.Equal(WrongApprover, Reason(Cases.PendingWithChallenge(), new Confirm(People.SecondTrader, Cases.At, Cases.Challenge)));

    [Fact]
    public void A_challenge_confirmed_after_it_expired_is_refused()
    {
        var approval = Cases.PendingWithChallenge();
        var expiry = approval.Challenge!.ExpiresAt;
        Assert.Null(Reason(approval, new Confirm(People.Trader, expiry, Cases.Challenge)));
        Assert.Equal(ChallengeExpired, Reason(approval, new Confirm(People.Trader, expiry.AddMilliseconds(1), Cases.Challenge)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("the-right-challengE")]
    [InlineData("the-right-challenge ")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    public void A_wrong_challenge_is_refused(string presented) =>
        Assert.Equal(ChallengeInvalid, Reason(Cases.PendingWithChallenge(), new Confirm(People.Trader, Cases.At, presented)));

    [Fact]
    public void The_hash_of_the_challenge_is_not_itself_the_challenge()
    {
        var approval = Cases.PendingWithChallenge();
        Assert.Equal(ChallengeInvalid, Reason(approval, new Confirm(People.Trader, Cases.At, approval.Challenge!.Sha256)));
    }

    [Fact]
    public void The_right_challenge_by_its_approver_in_time_is_allowed() =>
        Assert.Null(Reason(Cases.PendingWithChallenge(), new Confirm(People.Trader, Cases.At.AddSeconds(30), Cases.Challenge)));

    [Theory]
    [InlineData("VETO")]
    [InlineData("RETURN")]
    public void A_standing_gate_veto_or_return_blocks_approve_and_confirm(string verdict)
    {
        var gate = new StandingVerdict("RISK_COMPLIANCE", verdict, "eval-1", ["RISK-RULEBOOK-MISSING"]);
        Assert.Equal(BlockedByGate, Reason(Cases.In(ApprovalState.Pending), new Approve(People.Trader, Cases.At), gate));
        Assert.Equal(BlockedByGate, Reason(Cases.PendingWithChallenge(), new Confirm(People.Trader, Cases.At, Cases.Challenge), gate));
    }

    [Fact]
    public void A_standing_gate_verdict_does_not_stop_a_veto_or_a_return()
    {
        var gate = new StandingVerdict("RISK_COMPLIANCE", "VETO", "eval-1", ["RISK-RULEBOOK-MISSING"]);
        Assert.Null(Reason(Cases.In(ApprovalState.Pending), new Veto(People.Trader, Cases.At, ["RISK-RULEBOOK-MISSING"], null), gate));
        Assert.Null(Reason(Cases.In(ApprovalState.Pending), new Return(People.Trader, Cases.At, ["GOV-DOC-GAP"], null), gate));
    }

    [Fact]
    public void Passing_gates_do_not_block()
    {
        StandingVerdict[] gates = [new("VERSION_AUDIT", "PASS", "eval-1", []), new("RISK_COMPLIANCE", "PASS", "eval-2", [])];
        Assert.Null(Reason(Cases.In(ApprovalState.Pending), new Approve(People.Trader, Cases.At), gates));
        Assert.Null(Reason(Cases.PendingWithChallenge(), new Confirm(People.Trader, Cases.At, Cases.Challenge), gates));
    }

    [Fact]
    public void Four_eyes_is_judged_before_the_gates()
    {
        var gate = new StandingVerdict("RISK_COMPLIANCE", "VETO", "eval-1", ["RISK-RULEBOOK-MISSING"]);
        Assert.Equal(FourEyes, Reason(Cases.In(ApprovalState.Pending), new Approve(People.Operator, Cases.At), gate));
    }

    public static TheoryData<string[], string> BadCodes => new()
    {
        { [], ReasonCodesRequired },
        { ["risk-too-high"], InvalidRequest },
        { ["RISK TOO HIGH"], InvalidRequest },
        { ["RISK-TOO-HIGH", "x"], InvalidRequest },
        { ["RISK-TOO-HIGH\n"], InvalidRequest },
        { ["R" + new string('X', 64)], InvalidRequest },
    };

    [Theory]
    [MemberData(nameof(BadCodes))]
    public void Veto_and_return_need_at_least_one_valid_reason_code(string[] codes, string expected)
    {
        Assert.Equal(expected, Reason(Cases.In(ApprovalState.Pending), new Veto(People.Trader, Cases.At, codes, null)));
        Assert.Equal(expected, Reason(Cases.In(ApprovalState.Pending), new Return(People.Trader, Cases.At, codes, null)));
    }

    [Fact]
    public void The_hash_of_a_challenge_is_lowercase_sha256_hex() =>
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", ApprovalRules.HashChallenge(""));
}
