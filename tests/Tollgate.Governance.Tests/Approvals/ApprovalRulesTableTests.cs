using Tollgate.Governance.Approvals;
using Tollgate.Governance.Identity;
using Tollgate.Governance.Tests.Support;
using static Tollgate.Governance.GovernanceReasons;

namespace Tollgate.Governance.Tests.Approvals;

/// <summary>Every (state, command) pair: the refusal it gets, or null where it is allowed.</summary>
public sealed class ApprovalRulesTableTests
{
    public static readonly string[] CommandNames = ["Approve", "Confirm", "Veto", "Return", "Resubmit", "Withdraw"];

    /// <summary>The commands as each would be sent by whoever may send it: a trader decides, the requester resubmits and withdraws.</summary>
    private static ApprovalCommand Command(string name, Principal? caller = null) => name switch
    {
        "Approve" => new Approve(caller ?? People.Trader, Cases.At),
        "Confirm" => new Confirm(caller ?? People.Trader, Cases.At, Cases.Challenge),
        "Veto" => new Veto(caller ?? People.Trader, Cases.At, ["RISK-TOO-HIGH"], "no"),
        "Return" => new Return(caller ?? People.Trader, Cases.At, ["GOV-DOC-GAP"], "fix the docs"),
        "Resubmit" => new Resubmit(caller ?? People.Operator, Cases.At, "fixed"),
        "Withdraw" => new Withdraw(caller ?? People.Operator, Cases.At, "not needed"),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    public static TheoryData<ApprovalState, string, string?> Table => new()
    {
        // A pending approval carries a challenge for the trader, so confirm with the right one is allowed.
        { ApprovalState.Pending, "Approve", null },
        { ApprovalState.Pending, "Confirm", null },
        { ApprovalState.Pending, "Veto", null },
        { ApprovalState.Pending, "Return", null },
        { ApprovalState.Pending, "Resubmit", NotPending },
        { ApprovalState.Pending, "Withdraw", null },

        { ApprovalState.Approved, "Approve", NotPending },
        { ApprovalState.Approved, "Confirm", ChallengeUsed },
        { ApprovalState.Approved, "Veto", null },
        { ApprovalState.Approved, "Return", NotPending },
        { ApprovalState.Approved, "Resubmit", NotPending },
        { ApprovalState.Approved, "Withdraw", null },

        { ApprovalState.Vetoed, "Approve", BlockedByVeto },
        { ApprovalState.Vetoed, "Confirm", BlockedByVeto },
        { ApprovalState.Vetoed, "Veto", BlockedByVeto },
        { ApprovalState.Vetoed, "Return", BlockedByVeto },
        { ApprovalState.Vetoed, "Resubmit", BlockedByVeto },
        { ApprovalState.Vetoed, "Withdraw", BlockedByVeto },

        { ApprovalState.Returned, "Approve", BlockedByReturn },
        { ApprovalState.Returned, "Confirm", BlockedByReturn },
        { ApprovalState.Returned, "Veto", null },
        { ApprovalState.Returned, "Return", NotPending },
        { ApprovalState.Returned, "Resubmit", null },
        { ApprovalState.Returned, "Withdraw", null },

        { ApprovalState.Withdrawn, "Approve", NotPending },
        { ApprovalState.Withdrawn, "Confirm", NotPending },
        { ApprovalState.Withdrawn, "Veto", NotPending },
        { ApprovalState.Withdrawn, "Return", NotPending },
        { ApprovalState.Withdrawn, "Resubmit", NotPending },
        { ApprovalState.Withdrawn, "Withdraw", NotPending },
    };

    [Fact]
    public void The_table_covers_every_state_and_every_command()
    {
        var covered = Table.Select(row => ((ApprovalState)row[0], (string)row[1])).ToHashSet();
        Assert.Equal(Enum.GetValues<ApprovalState>().Length * CommandNames.Length, covered.Count);
    }

    [Theory]
    [MemberData(nameof(Table))]
    public void Each_state_and_command_gets_its_documented_answer(ApprovalState state, string command, string? expected)
    {
        var approval = Cases.In(state, state == ApprovalState.Pending ? Cases.ChallengeFor(People.Trader) : null);
        var refusal = ApprovalRules.Check(approval, Command(command), []);
        Assert.True(expected == refusal?.Reason, $"{state} × {command}: expected {expected ?? "allowed"}, got {refusal?.Reason ?? "allowed"} ({refusal?.Message})");
    }

    public static TheoryData<string, string> EveryCommandByEveryone
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var command in CommandNames)
                foreach (var who in new[] { "trader", "operator", "admin", "requester" }) data.Add(command, who);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(EveryCommandByEveryone))]
    public void A_veto_is_final_whatever_is_sent_and_whoever_sends_it(string command, string who)
    {
        var caller = who switch
        {
            "trader" => People.SecondTrader,
            "operator" => People.SecondOperator,
            "admin" => People.Admin,
            _ => People.Operator,
        };
        var refusal = ApprovalRules.Check(Cases.In(ApprovalState.Vetoed), Command(command, caller), []);
        Assert.Equal(BlockedByVeto, refusal?.Reason);
    }

    [Fact]
    public void Withdrawing_is_for_the_requester_or_an_admin()
    {
        var pending = Cases.In(ApprovalState.Pending);
        Assert.Null(ApprovalRules.Check(pending, new Withdraw(People.Admin, Cases.At, "cleanup"), []));
        Assert.Equal(RoleDenied, ApprovalRules.Check(pending, new Withdraw(People.SecondOperator, Cases.At, "mine now"), [])?.Reason);
    }

    [Fact]
    public void Only_the_requester_resubmits_a_returned_approval()
    {
        var returned = Cases.In(ApprovalState.Returned);
        Assert.Null(ApprovalRules.Check(returned, new Resubmit(People.Operator, Cases.At, "fixed"), []));
        Assert.Equal(RoleDenied, ApprovalRules.Check(returned, new Resubmit(People.SecondOperator, Cases.At, "fixed"), [])?.Reason);
        Assert.Equal(RoleDenied, ApprovalRules.Check(returned, new Resubmit(People.Trader, Cases.At, "fixed"), [])?.Reason);
    }
}
