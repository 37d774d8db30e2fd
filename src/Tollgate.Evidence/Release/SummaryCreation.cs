namespace Tollgate.Evidence;

/// <summary>
/// What <see cref="ReleaseAuditSummary.Create"/> produced: the bundle check (for the ledger) and,
/// only when it passed, the summary.
/// </summary>
public sealed record SummaryCreation(EvidenceResult Check, ReleaseAuditSummary? Summary);
