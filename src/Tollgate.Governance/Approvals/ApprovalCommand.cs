using Tollgate.Governance.Identity;

namespace Tollgate.Governance.Approvals;

/// <summary>A decision or step someone asks of an approval; the closed set <see cref="ApprovalRules"/> judges.</summary>
public abstract record ApprovalCommand(Principal Caller, DateTimeOffset At);

/// <summary>The first step of APPROVE: asks for a one-time challenge.</summary>
public sealed record Approve(Principal Caller, DateTimeOffset At) : ApprovalCommand(Caller, At);

/// <summary>The second step of APPROVE: the challenge from the first, within its time limit.</summary>
public sealed record Confirm(Principal Caller, DateTimeOffset At, string Challenge) : ApprovalCommand(Caller, At);

/// <summary>Refuses the subject for good.</summary>
public sealed record Veto(Principal Caller, DateTimeOffset At, IReadOnlyList<string> ReasonCodes, string? Reason) : ApprovalCommand(Caller, At);

/// <summary>Sends the subject back to the requester, who may resubmit.</summary>
public sealed record Return(Principal Caller, DateTimeOffset At, IReadOnlyList<string> ReasonCodes, string? Reason) : ApprovalCommand(Caller, At);

/// <summary>The requester answers a RETURN.</summary>
public sealed record Resubmit(Principal Caller, DateTimeOffset At, string Reason) : ApprovalCommand(Caller, At);

/// <summary>The requester (or an Admin) takes the request back.</summary>
public sealed record Withdraw(Principal Caller, DateTimeOffset At, string Reason) : ApprovalCommand(Caller, At);
