namespace Tollgate.Workflows.Release;

/// <summary>
/// The custom status of a release's orchestrations: the <see cref="WorkflowProgress"/> shape (stage, done, total,
/// detail) the CLI draws, plus the canary's step, weight, state and last analysis, so a status read always shows them.
/// </summary>
public sealed record ReleaseProgress(
    string Stage,
    int Done,
    int Total,
    string? Detail,
    string State,
    int Step,
    int Steps,
    int WeightBasisPoints,
    AnalysisOutcome? LastAnalysis,
    string? WaitingFor = null);
