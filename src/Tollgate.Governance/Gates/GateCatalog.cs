using Tollgate.Governance.Gates.Checks;

namespace Tollgate.Governance.Gates;

/// <summary>Every checklist item of seed 000 §5.1-5.4, as the check that evaluates it; the one place a gate's checks are listed.</summary>
public static class GateCatalog
{
    public static IReadOnlyList<GateCheck> All { get; } =
    [
        new DocumentIndexCheck(),
        new VersionMapGeneratedCheck(),
        new ChangeLedgerCheck(),
        new ReplayBundleSchemaCheck(),

        new PolicyVersionCheck(),
        new RulebookSnapshotCheck(),
        new VetoReasonCodesCheck(),

        new KillSwitchPreflightCheck(),
        new ChannelHealthCheck(),
        new IdempotencyGuardCheck(),
        new ExecutionLogsCheck(),
        new ReconciliationCheck(),

        new TwoStepApprovalCheck(),
        new VetoLocksApprovalCheck(),
        new NotBuiltCheck("UI-03", GateName.UiSpec, "UI trace written immutably", "UI-TRACE-NOT-BUILT", "The operator console's UI trace"),
        new NotBuiltCheck("UI-04", GateName.UiSpec, "UI shows the version map and reason codes", "UI-CONSOLE-NOT-BUILT", "The operator console"),
    ];

    public static IReadOnlyList<GateCheck> Of(GateName gate) => [.. All.Where(check => check.Gate == gate)];
}
