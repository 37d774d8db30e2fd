namespace Tollgate.Governance.Identity;

/// <summary>Everything a caller can ask Tollgate to do, each guarded by <see cref="RoleMatrix"/>.</summary>
public enum GovernanceAction
{
    ReadOrchestrations,
    StartOrchestration,
    ControlOrchestration,
    PurgeOrchestration,

    ReadLedger,
    AppendLedger,
    ReadBundles,
    CreateBundle,
    StoreObject,

    ReadVersionMaps,
    RegisterVersionMap,
    SwitchVersionMap,
    RollbackVersionMap,

    ReadGates,
    EvaluateGate,

    ReadApprovals,
    RequestApproval,
    DecideApproval,
    WithdrawApproval,

    ReadKillSwitch,
    EngageKillSwitch,
    ReleaseKillSwitch,
    PreflightKillSwitch,

    ReadSettings,

    /// <summary>Reads books, features and data quality of the market plane.</summary>
    ReadMarketData,

    /// <summary>Scrapes the host's metrics (Prometheus text): counts and latencies, no identities, no secrets.</summary>
    ReadMetrics,

    /// <summary>Reads orders, fills, positions and execution metrics per cohort.</summary>
    ReadExecution,

    /// <summary>Runs a reconciliation of the exchange against Tollgate's orders, fills and positions now.</summary>
    Reconcile,

    /// <summary>Reads releases: their stages, canary step and weight, every analysis with its metrics.</summary>
    ReadReleases,

    /// <summary>Starts a release pipeline (CI's call, or an Operator's).</summary>
    StartRelease,

    /// <summary>Steers a running canary: pause, resume, promote (next step), promote-full.</summary>
    ControlRelease,

    /// <summary>Aborts a running release: its canary is rolled back (any human who sees harm may stop it, as with the kill switch).</summary>
    AbortRelease,

    /// <summary>Asks who the token says the caller is (every role may).</summary>
    Identify,
}
