namespace Tollgate.Governance.Gates;

/// <summary>One item of a gate's checklist (seed 000 §5.1-5.4), with a stable id and the seed line it implements.</summary>
public abstract class GateCheck
{
    public abstract string Id { get; }
    public abstract GateName Gate { get; }

    /// <summary>The checklist item, as seed 000 words it (translated).</summary>
    public abstract string Title { get; }

    public abstract Task<CheckResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken);

    protected CheckResult Pass(string detail) => CheckResult.Pass(Id, detail);
    protected CheckResult Veto(string code, string detail) => CheckResult.Veto(Id, code, detail);
    protected CheckResult Return(string code, string detail) => CheckResult.Return(Id, code, detail);
    protected CheckResult NotEvaluable(string code, string detail) => CheckResult.NotEvaluable(Id, code, detail);
}
