namespace Tollgate.Governance.Gates.Checks;

/// <summary>Seed 000 §5.3: kill switch preflight succeeds (can trigger, can report, is audited).</summary>
public sealed class KillSwitchPreflightCheck : GateCheck
{
    public override string Id => "EC-01";
    public override GateName Gate => GateName.ExecutionControl;
    public override string Title => "Kill switch preflight: can trigger, can report, is audited";

    /// <summary>How old a preflight the check may reuse (docs/GOVERNANCE.md §4).</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    public override async Task<CheckResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        var preflight = await context.KillSwitch.RecentPreflightAsync(context.Request.Environment, MaxAge, cancellationToken);
        return preflight.Ok
            ? Pass($"{context.Request.Environment}: can trigger, can report, audited (preflight at most {MaxAge.TotalSeconds:0} s old).")
            : Veto(GovernanceReasons.KillSwitchUnavailable, $"{context.Request.Environment}: {string.Join("; ", preflight.Problems)}.");
    }
}

/// <summary>Seed 000 §5.3: pre/in/post execution logs can be written immutably.</summary>
public sealed class ExecutionLogsCheck : GateCheck
{
    public override string Id => "EC-04";
    public override GateName Gate => GateName.ExecutionControl;
    public override string Title => "Pre/In/Post execution logs: the immutable ledger takes writes";

    public override Task<CheckResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken) => Task.FromResult(context.Audit.IsAvailable
        ? Pass("The audit ledger is open; order_path entries are append-only and covered by signed checkpoints.")
        : Veto(GovernanceReasons.AuditUnavailable, "The audit ledger is not open for writing."));
}

/// <summary>A checklist item whose subsystem is not built yet: reported as such, never as a pass.</summary>
public sealed class NotBuiltCheck(string id, GateName gate, string title, string code, string subsystem) : GateCheck
{
    public override string Id => id;
    public override GateName Gate => gate;
    public override string Title => title;

    public override Task<CheckResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken) =>
        Task.FromResult(NotEvaluable(code, $"{subsystem} is not built yet, so this cannot be checked."));
}
