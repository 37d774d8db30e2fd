using Tollgate.Governance.Environments;
using Tollgate.Governance.Requests;

namespace Tollgate.Governance.Approvals;

/// <summary>What an approval is for; an approval authorises exactly one subject and is used once.</summary>
public enum SubjectKind
{
    /// <summary>Activating a version map in an environment; the reference is the map id.</summary>
    ActivateVersionMap,

    /// <summary>Rolling an environment back to an earlier map; the reference is that map's id.</summary>
    RollbackVersionMap,

    /// <summary>Releasing an environment's kill switch; the reference is the kill-switch record being released.</summary>
    ReleaseKillSwitch,
}

public sealed record ApprovalSubject(SubjectKind Kind, DeploymentEnvironment Environment, string Reference)
{
    private static readonly Dictionary<SubjectKind, string> Names = new()
    {
        [SubjectKind.ActivateVersionMap] = "ACTIVATE_VERSION_MAP",
        [SubjectKind.RollbackVersionMap] = "ROLLBACK_VERSION_MAP",
        [SubjectKind.ReleaseKillSwitch] = "RELEASE_KILL_SWITCH",
    };

    public string KindName => Names[Kind];

    /// <summary>The subject as one string, as the ledger records it: <c>KIND:Environment:reference</c>.</summary>
    public override string ToString() => $"{KindName}:{Environment}:{Reference}";

    public static SubjectKind ParseKind(string name) =>
        Names.FirstOrDefault(pair => pair.Value == name) is { Value: not null } found
            ? found.Key
            : throw RequestObject.Invalid($"subject.kind must be one of {string.Join(", ", Names.Values)}, not '{RequestObject.Printable(name)}'.");

    public static ApprovalSubject FromRequest(RequestObject subject) => new(
        ParseKind(subject.Text("kind", 32)), EnvironmentCatalog.Parse(subject.Text("environment", 16)), subject.Id("reference"));
}
