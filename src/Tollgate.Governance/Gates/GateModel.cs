using Tollgate.Governance.Environments;

namespace Tollgate.Governance.Gates;

/// <summary>The four release gates of seed 000 §5; a version enters Paper or Live only through all of them.</summary>
public enum GateName { VersionAudit, RiskCompliance, ExecutionControl, UiSpec }

/// <summary>What one check found. <see cref="NotEvaluable"/> is never a pass: the subsystem it needs does not exist yet.</summary>
public enum CheckVerdict { Pass, Veto, Return, NotEvaluable }

/// <summary>A gate's verdict: VETO (risk refuses), RETURN (governance gap to fix), or PASS.</summary>
public enum GateVerdict { Pass, Veto, Return }

/// <summary>One check's result, with stable reason codes and a sentence saying what was looked at.</summary>
public sealed record CheckResult(string Id, CheckVerdict Verdict, IReadOnlyList<string> ReasonCodes, string Detail)
{
    public static CheckResult Pass(string id, string detail) => new(id, CheckVerdict.Pass, [], detail);
    public static CheckResult Veto(string id, string code, string detail) => new(id, CheckVerdict.Veto, [code], detail);
    public static CheckResult Return(string id, string code, string detail) => new(id, CheckVerdict.Return, [code], detail);
    public static CheckResult NotEvaluable(string id, string code, string detail) => new(id, CheckVerdict.NotEvaluable, [code], detail);
}

/// <summary>A document of the release's DOCUMENT_INDEX, as CI reports it.</summary>
public sealed record IndexedDocument(string DocKey, string Version, string Status);

/// <summary>A veto reason code the release's policy can raise, with the text UI and logs show for it.</summary>
public sealed record VetoCode(string Code, string Description);

/// <summary>What CI asks a gate to judge: a release (and its candidate version map) for an environment.</summary>
public sealed record GateRequest(
    DeploymentEnvironment Environment, string ReleaseId, string? VersionMapId, IReadOnlyList<IndexedDocument>? DocumentIndex,
    IReadOnlyList<VetoCode>? VetoReasonCodes);

/// <summary>A gate's evaluation: every check, the verdict they add up to, and where it is recorded.</summary>
public sealed record GateEvaluation(
    string EvaluationId, GateName Gate, GateVerdict Verdict, IReadOnlyList<CheckResult> Checks, GateRequest Request, string EvaluatedBy,
    DateTimeOffset At, long LedgerIndex);

public static class GateNames
{
    private static readonly Dictionary<GateName, string> Wire = new()
    {
        [GateName.VersionAudit] = "VERSION_AUDIT",
        [GateName.RiskCompliance] = "RISK_COMPLIANCE",
        [GateName.ExecutionControl] = "EXECUTION_CONTROL",
        [GateName.UiSpec] = "UI_SPEC",
    };

    public static IReadOnlyList<GateName> All { get; } = Enum.GetValues<GateName>();

    public static string Of(GateName gate) => Wire[gate];

    public static string Of(CheckVerdict verdict) => verdict switch
    {
        CheckVerdict.Pass => "PASS",
        CheckVerdict.Veto => "VETO",
        CheckVerdict.Return => "RETURN",
        _ => "NOT_EVALUABLE",
    };

    public static string Of(GateVerdict verdict) => verdict switch
    {
        GateVerdict.Pass => "PASS",
        GateVerdict.Veto => "VETO",
        _ => "RETURN",
    };

    /// <exception cref="GovernanceException"><see cref="GovernanceReasons.UnknownGate"/>.</exception>
    public static GateName Parse(string? name) =>
        Wire.FirstOrDefault(pair => pair.Value == name) is { Value: not null } found
            ? found.Key
            : throw new GovernanceException(GovernanceReasons.UnknownGate,
                $"'{Requests.RequestObject.Printable(name ?? "")}' is not a gate; use one of {string.Join(", ", Wire.Values)}.");

    /// <summary>Any VETO vetoes; otherwise any RETURN or check that could not be evaluated returns; only all PASS passes.</summary>
    public static GateVerdict Combine(IEnumerable<CheckResult> checks) => Overall(checks.Select(check => check.Verdict switch
    {
        CheckVerdict.Pass => GateVerdict.Pass,
        CheckVerdict.Veto => GateVerdict.Veto,
        _ => GateVerdict.Return,
    }));

    /// <summary>The same rule over verdicts (several gates' into one): any VETO vetoes, only all PASS (and at least one) passes.</summary>
    public static GateVerdict Overall(IEnumerable<GateVerdict> verdicts)
    {
        var all = verdicts.ToList();
        if (all.Contains(GateVerdict.Veto)) return GateVerdict.Veto;
        return all.Count > 0 && all.All(verdict => verdict == GateVerdict.Pass) ? GateVerdict.Pass : GateVerdict.Return;
    }
}
