namespace Tollgate.Evidence;

/// <summary>The stable ids of the checks, as <see cref="EvidenceResult.Check"/> carries them.</summary>
public static class EvidenceChecks
{
    /// <summary>A release bundle against its sha256sum file and the expected version.</summary>
    public const string ReleaseBundle = "release.bundle";

    /// <summary>A release audit summary against the expected version and, if given, the bundle.</summary>
    public const string ReleaseSummary = "release.summary";

    /// <summary>Appending a summary to the audit index.</summary>
    public const string ReleaseIndexAppend = "release.index.append";

    /// <summary>The audit index's hash chain and the summary's single entry in it.</summary>
    public const string ReleaseIndex = "release.index";

    /// <summary>A WAL recovery drill against RTO/RPO thresholds.</summary>
    public const string WalRecovery = "dr.wal_recovery";

    /// <summary>A deploy/rollback drill against the rollback time limit and its health check.</summary>
    public const string RollbackDrill = "ops.rollback_drill";
}
