using Tollgate.Governance.Environments;

namespace Tollgate.Governance.KillSwitch;

/// <summary>
/// One environment's kill switch: engaged (no new orders anywhere) or released, who set it, when and why.
/// <see cref="Sequence"/> orders states; 0 is the initial, released state no one has changed yet.
/// </summary>
/// <param name="Audited">False while the engagement is an emergency one, recorded in storage when the ledger could not be written.</param>
public sealed record KillSwitchState(
    DeploymentEnvironment Environment, bool Engaged, long Sequence, string Reason, IReadOnlyList<string> ReasonCodes, string Actor,
    DateTimeOffset At, bool Audited, long? LedgerIndex)
{
    public static KillSwitchState Initial(DeploymentEnvironment environment) =>
        new(environment, false, 0, "never engaged", [], "tollgate", DateTimeOffset.UnixEpoch, true, null);

    public string StateName => Engaged ? "ENGAGED" : "RELEASED";
}

/// <summary>The kill switch's own check (seed 000 §5.3): can it be triggered, can it be reported, is it audited.</summary>
public sealed record KillSwitchPreflight(DeploymentEnvironment Environment, bool CanTrigger, bool CanReport, bool Audited, IReadOnlyList<string> Problems)
{
    public bool Ok => CanTrigger && CanReport && Audited;
}
