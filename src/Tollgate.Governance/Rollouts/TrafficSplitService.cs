using System.Text.Json.Nodes;
using Tollgate.Governance.Audit;
using Tollgate.Governance.Environments;
using Tollgate.Governance.Identity;
using Tollgate.Governance.Storage;
using Tollgate.Governance.VersionMaps;
using Tollgate.Ledger.Entries;

namespace Tollgate.Governance.Rollouts;

/// <summary>
/// The traffic split of each environment: an Only-Add stream of <see cref="TrafficSplit"/> records, each a
/// <c>traffic_split</c> ledger entry first. A release stages its candidate map, moves its weight step by step, and
/// ends either by activating the candidate (the version map's own switch, then a COMPLETE record) or by an ABORT
/// record that returns every decision to the stable map at once. Every change names the record it followed
/// (<c>expected</c>), so two writers cannot both move the split; <see cref="Changed"/> tells this process's data
/// plane at once, other hosts poll <see cref="CurrentAsync"/>.
/// </summary>
public sealed class TrafficSplitService(GovernanceTable table, IAuditLog audit, VersionMapService maps, TimeProvider clock)
{
    /// <summary>Raised after a record is appended, in the appending process.</summary>
    public event Action<TrafficSplit>? Changed;

    /// <summary>The environment's latest split record, or null when no release ever staged one.</summary>
    public async Task<TrafficSplit?> CurrentAsync(DeploymentEnvironment environment, CancellationToken cancellationToken)
        => await Stream(environment).LatestAsync(cancellationToken) is { } record ? TrafficSplit.From(environment, record) : null;

    public async Task<IReadOnlyList<TrafficSplit>> HistoryAsync(DeploymentEnvironment environment, int limit, CancellationToken cancellationToken) =>
        [.. (await Stream(environment).ReadAsync(limit, cancellationToken)).Select(record => TrafficSplit.From(environment, record))];

    /// <summary>Stages <paramref name="canaryMap"/> at weight 0 beside the Active Version Map.</summary>
    public async Task<TrafficSplit> StageAsync(Principal caller, DeploymentEnvironment environment, string releaseId, string canaryMap, SplitBy splitBy,
        string reason, long expected, CancellationToken cancellationToken)
    {
        var stable = await maps.FindActiveAsync(environment, cancellationToken)
            ?? throw new GovernanceException(GovernanceReasons.MapMissing, $"{environment} has no Active Version Map to stage a canary beside.");
        var candidate = (await maps.GetAsync(canaryMap, cancellationToken)).Map;
        if (candidate.Environment != environment)
            throw new GovernanceException(GovernanceReasons.SplitInvalid, $"Version map {canaryMap} was registered for {candidate.Environment}, not {environment}.");
        if (candidate.Id == stable.Map.Id)
            throw new GovernanceException(GovernanceReasons.MapAlreadyActive, $"{canaryMap} is already {environment}'s Active Version Map; there is nothing to canary.");
        var current = await CurrentAsync(environment, cancellationToken);
        if (current is { IsActive: true } && current.ReleaseId != releaseId)
            throw new GovernanceException(GovernanceReasons.SplitConflict, $"Release {current.ReleaseId} is running a canary in {environment}; one canary at a time.");
        return await AppendAsync(caller, environment, SplitAction.Stage, releaseId, stable.Map.Id, candidate.Id, 0, splitBy, reason, expected, cancellationToken);
    }

    /// <summary>Moves the running canary's share of decisions to <paramref name="weightBasisPoints"/>.</summary>
    public async Task<TrafficSplit> SetWeightAsync(Principal caller, DeploymentEnvironment environment, string releaseId, int weightBasisPoints, string reason,
        long expected, CancellationToken cancellationToken)
    {
        if (weightBasisPoints is < 0 or > TrafficSplit.FullWeight)
            throw new GovernanceException(GovernanceReasons.SplitInvalid, $"A canary weight is 0-{TrafficSplit.FullWeight} basis points, not {weightBasisPoints}.");
        var current = await RunningAsync(environment, releaseId, cancellationToken);
        return await AppendAsync(caller, environment, SplitAction.Weight, releaseId, current.StableMap, current.CanaryMap, weightBasisPoints, current.SplitBy,
            reason, expected, cancellationToken);
    }

    /// <summary>Every decision back on the stable map, in one record: the canary's rollback.</summary>
    public async Task<TrafficSplit> AbortAsync(Principal caller, DeploymentEnvironment environment, string releaseId, string reason, long expected,
        CancellationToken cancellationToken)
    {
        var current = await RunningAsync(environment, releaseId, cancellationToken);
        return await AppendAsync(caller, environment, SplitAction.Abort, releaseId, current.StableMap, null, 0, current.SplitBy, reason, expected, cancellationToken);
    }

    /// <summary>The canary map is now the Active Version Map (switched by the caller first): the split ends with it as the stable map.</summary>
    public async Task<TrafficSplit> CompleteAsync(Principal caller, DeploymentEnvironment environment, string releaseId, string reason, long expected,
        CancellationToken cancellationToken)
    {
        var current = await RunningAsync(environment, releaseId, cancellationToken);
        var active = await maps.FindActiveAsync(environment, cancellationToken);
        if (active?.Map.Id != current.CanaryMap)
            throw new GovernanceException(GovernanceReasons.SplitInvalid,
                $"{environment}'s Active Version Map is {active?.Map.Id ?? "none"}, not the canary {current.CanaryMap}: activate it before completing the split.");
        return await AppendAsync(caller, environment, SplitAction.Complete, releaseId, current.CanaryMap!, null, 0, current.SplitBy, reason, expected, cancellationToken);
    }

    private async Task<TrafficSplit> RunningAsync(DeploymentEnvironment environment, string releaseId, CancellationToken cancellationToken)
    {
        var current = await CurrentAsync(environment, cancellationToken);
        if (current is not { IsActive: true }) throw new GovernanceException(GovernanceReasons.SplitNone, $"No canary is staged or running in {environment}.");
        if (current.ReleaseId != releaseId)
            throw new GovernanceException(GovernanceReasons.SplitConflict, $"The canary in {environment} belongs to release {current.ReleaseId}, not {releaseId}.");
        return current;
    }

    private async Task<TrafficSplit> AppendAsync(Principal caller, DeploymentEnvironment environment, SplitAction action, string releaseId, string stableMap,
        string? canaryMap, int weight, SplitBy splitBy, string reason, long expected, CancellationToken cancellationToken)
    {
        EnvironmentPolicy.CheckActor(caller, environment);
        var payload = new JsonObject
        {
            ["action"] = action.ToString().ToUpperInvariant(),
            ["release_id"] = releaseId,
            ["stable_map"] = stableMap,
            ["canary_map"] = canaryMap,
            ["weight_bp"] = weight,
            ["split_by"] = splitBy.ToString().ToUpperInvariant(),
            ["reason"] = reason,
        };
        StreamRecord record;
        try
        {
            record = await Stream(environment).AppendAsync(expected, key => LedgerEntry.Create(
                new LedgerEntryFields(LedgerKinds.TrafficSplit.Name, key, clock.GetUtcNow(), caller.Subject, releaseId, environment.ToString(),
                    [.. new[] { stableMap, canaryMap }.OfType<string>()]), payload), cancellationToken);
        }
        catch (StreamConflictException)
        {
            throw new GovernanceException(GovernanceReasons.SplitConflict,
                $"{environment}'s traffic split moved past #{expected} (another step or a rollback); nothing was changed.");
        }
        var split = TrafficSplit.From(environment, record);
        Changed?.Invoke(split);
        return split;
    }

    private AuditedStream Stream(DeploymentEnvironment environment) => new(table, audit, $"split-{environment}");
}
