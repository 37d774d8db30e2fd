namespace Tollgate.Cli;

/// <summary>What <c>tollgate</c> exits with; scripts and CI branch on these.</summary>
public static class ExitCodes
{
    /// <summary>The request succeeded (with --wait/--watch: the orchestration Completed).</summary>
    public const int Success = 0;

    /// <summary>The orchestration ended Failed or Terminated.</summary>
    public const int OrchestrationFailed = 1;

    /// <summary>A verification or evidence check ran and did not pass; stdout/stderr say what failed.</summary>
    public const int NotVerified = 1;

    /// <summary>A gate evaluated to VETO or RETURN, or an act is waiting on an approval; stdout says which.</summary>
    public const int NotPassed = 1;

    /// <summary>The request was refused (by the host, or locally as malformed); stderr says <c>error REASON: message</c>.</summary>
    public const int Refused = 2;

    /// <summary>The host (or, for ledger commands, the storage) could not be reached.</summary>
    public const int Unreachable = 3;
}
