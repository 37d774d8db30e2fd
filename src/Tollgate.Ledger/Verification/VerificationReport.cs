namespace Tollgate.Ledger.Verification;

/// <summary>What a verification established, and the first problem if any.</summary>
/// <param name="VerifiedSize">Entries covered by the latest valid checkpoint and checked against it.</param>
/// <param name="UncheckpointedEntries">Entries stored after the latest checkpoint (a writer mid-commit): read but not covered by a signature.</param>
public sealed record VerificationReport(
    long VerifiedSize, long StoredEntries, int CheckpointsVerified, long IndexRowsChecked, long UncheckpointedEntries,
    string? LatestRootHex, IReadOnlyList<VerificationProblem> Problems, IReadOnlyList<string> Notes)
{
    public bool Ok => Problems.Count == 0;

    /// <summary>The problem at the lowest entry index, else the first whole-ledger problem.</summary>
    public VerificationProblem? First =>
        Problems.Where(problem => problem.Index is not null).MinBy(problem => problem.Index) ?? Problems.FirstOrDefault();
}

/// <summary>Progress of a long verification, for a progress bar.</summary>
public sealed record VerificationProgress(string Stage, long Done, long Total);
