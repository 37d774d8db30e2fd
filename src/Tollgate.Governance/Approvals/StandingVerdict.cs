namespace Tollgate.Governance.Approvals;

/// <summary>A gate's latest verdict for a release: a VETO or RETURN here blocks every approval of that release.</summary>
public sealed record StandingVerdict(string Gate, string Verdict, string EvaluationId, IReadOnlyList<string> ReasonCodes)
{
    public bool Blocks => Verdict is "VETO" or "RETURN";
}
