using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Governance.Approvals;
using Tollgate.Governance.Audit;
using Tollgate.Governance.Environments;
using Tollgate.Governance.Identity;
using Tollgate.Governance.Storage;
using Tollgate.Ledger;
using Tollgate.Ledger.Entries;

namespace Tollgate.Governance.VersionMaps;

/// <summary>A registered version map: the map, who registered it and where the registration is in the ledger.</summary>
public sealed record RegisteredMap(VersionMap Map, string RegisteredBy, DateTimeOffset RegisteredAt, long LedgerIndex, bool Existing);

/// <summary>An environment's Active Version Map: the switch that made it active, and the map.</summary>
public sealed record ActiveMap(VersionSwitch Switch, VersionMap Map);

/// <summary>
/// The Active Version Map of each environment, Only-Add (seed 000 §2, §3.1, §7.2, §11.1): maps are registered once
/// under their content hash; activating one appends a switch to the environment's audited stream and moves the
/// pointer; a rollback is another switch, back to an earlier map. Nothing is overwritten, every switch is a
/// <c>version_map_switch</c> ledger entry before it takes effect, and two switches racing for the pointer cannot
/// both land (the loser gets <see cref="GovernanceReasons.MapConflict"/>).
/// </summary>
public sealed class VersionMapService(GovernanceTable table, IAuditLog audit, ApprovalService approvals, TimeProvider clock)
{
    private const string MapPartition = "vmaps";

    /// <summary>Registers <paramref name="map"/>; registering the same content again returns the first registration.</summary>
    public async Task<RegisteredMap> RegisterAsync(Principal caller, VersionMap map, CancellationToken cancellationToken)
    {
        EnvironmentPolicy.CheckActor(caller, map.Environment);
        if (await FindAsync(map.Id, cancellationToken) is { } known) return known with { Existing = true };
        var entry = LedgerEntry.Create(
            new LedgerEntryFields("version_map", RegistrationKey(map.Id), clock.GetUtcNow(), caller.Subject, map.Id, map.Environment.ToString(), [map.Id]),
            new JsonObject { ["map_id"] = map.Id, ["map"] = map.ToJson() });
        AuditReceipt receipt;
        try
        {
            receipt = await audit.AppendAsync(entry, cancellationToken);
        }
        catch (LedgerException e) when (e.Reason == LedgerReason.KeyConflict)
        {
            // Registered by someone else a moment ago: same content, so the same map. Their entry may still be
            // committing, which is why the ledger refused ours before anyone could read theirs.
            await audit.FindSoonAsync(RegistrationKey(map.Id), cancellationToken);
            return await FindAsync(map.Id, cancellationToken) is { } registered
                ? registered with { Existing = true }
                : throw new GovernanceException(GovernanceReasons.AuditUnavailable,
                    $"Version map {map.Id} is being registered by another caller whose registration has not reached the ledger; register it again.");
        }
        await table.TryInsertAsync(MapPartition, map.Id, ProjectedEntry.Json(entry, receipt.Index), cancellationToken);
        // Lookup by code version (a GitHub deployment names its commit): newest registration first.
        await table.TryInsertAsync(CodePartition(map.Environment), CodeRow(map.Code, entry.Fields.Time), map.Id, cancellationToken);
        return Registered(entry, receipt.Index, receipt.Existing);
    }

    /// <summary>The newest map registered for <paramref name="environment"/> whose code version is <paramref name="code"/>, if any.</summary>
    public async Task<RegisteredMap?> FindByCodeAsync(DeploymentEnvironment environment, string code, CancellationToken cancellationToken)
    {
        var rows = await table.QueryAsync(CodePartition(environment), CodeHash(code) + "-", 1, cancellationToken);
        return rows.Count == 0 ? null : await FindAsync(rows[0].Json, cancellationToken);
    }

    private static string CodePartition(DeploymentEnvironment environment) => $"vmap-code-{environment}";

    private static string CodeHash(string code) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(code)));

    private static string CodeRow(string code, DateTimeOffset at) =>
        $"{CodeHash(code)}-{RecordKeys.NewestFirst(at)}";

    /// <exception cref="GovernanceException"><see cref="GovernanceReasons.MapNotFound"/>.</exception>
    public async Task<RegisteredMap> GetAsync(string id, CancellationToken cancellationToken) =>
        await FindAsync(id, cancellationToken) ?? throw new GovernanceException(GovernanceReasons.MapNotFound, $"No version map has id '{id}'.");

    /// <summary>The environment's Active Version Map. A missing map blocks: there is no default.</summary>
    /// <exception cref="GovernanceException"><see cref="GovernanceReasons.MapMissing"/>.</exception>
    public async Task<ActiveMap> ActiveAsync(DeploymentEnvironment environment, CancellationToken cancellationToken) =>
        await FindActiveAsync(environment, cancellationToken) ?? throw NoActiveMap(environment);

    private static GovernanceException NoActiveMap(DeploymentEnvironment environment) => new(GovernanceReasons.MapMissing,
        $"{environment} has no Active Version Map; nothing may run there until one is activated (seed 000 §3.1).");

    public async Task<ActiveMap?> FindActiveAsync(DeploymentEnvironment environment, CancellationToken cancellationToken)
    {
        if (await LatestSwitchAsync(environment, cancellationToken) is not { } change) return null;
        return new ActiveMap(change, (await GetAsync(change.ToMap, cancellationToken)).Map);
    }

    private async Task<VersionSwitch?> LatestSwitchAsync(DeploymentEnvironment environment, CancellationToken cancellationToken) =>
        await Stream(environment).LatestAsync(cancellationToken) is { } latest ? VersionSwitch.From(environment, latest) : null;

    /// <summary>The environment's switches, newest first.</summary>
    public async Task<IReadOnlyList<VersionSwitch>> HistoryAsync(DeploymentEnvironment environment, int limit, CancellationToken cancellationToken) =>
        [.. (await Stream(environment).ReadAsync(limit, cancellationToken)).Select(record => VersionSwitch.From(environment, record))];

    /// <summary>Makes <paramref name="mapId"/> the environment's Active Version Map.</summary>
    /// <param name="expectedFrom">The map the caller saw active (null: none); a different one means someone switched meanwhile.</param>
    public async Task<VersionSwitch> ActivateAsync(Principal caller, DeploymentEnvironment environment, string mapId, string reason, string? expectedFrom,
        bool checkExpected, string? approvalId, CancellationToken cancellationToken)
    {
        EnvironmentPolicy.CheckActor(caller, environment);
        var map = (await GetAsync(mapId, cancellationToken)).Map;
        if (map.Environment != environment)
            throw new GovernanceException(GovernanceReasons.MapWrongEnvironment, $"Version map {mapId} was registered for {map.Environment}, not {environment}.");
        return await SwitchAsync(caller, environment, SwitchAction.Activate, map, reason, expectedFrom, checkExpected, approvalId, history: null, cancellationToken);
    }

    /// <summary>Moves the pointer back: to <paramref name="toMap"/>, or by default to the map the current one replaced.</summary>
    public async Task<VersionSwitch> RollbackAsync(Principal caller, DeploymentEnvironment environment, string? toMap, string reason, string? expectedFrom,
        bool checkExpected, string? approvalId, CancellationToken cancellationToken)
    {
        EnvironmentPolicy.CheckActor(caller, environment);
        var history = await HistoryAsync(environment, int.MaxValue, cancellationToken);
        var current = history.FirstOrDefault() ?? throw NoActiveMap(environment);
        var target = toMap ?? current.FromMap ?? throw new GovernanceException(GovernanceReasons.MapNoPrevious,
            $"{current.ToMap} was the first map activated in {environment}; there is nothing earlier to roll back to.");
        if (!history.Any(change => change.ToMap == target))
            throw new GovernanceException(GovernanceReasons.MapNoPrevious, $"{target} was never active in {environment}; a rollback returns to a map that was.");
        var map = (await GetAsync(target, cancellationToken)).Map;
        return await SwitchAsync(caller, environment, SwitchAction.Rollback, map, reason, expectedFrom, checkExpected, approvalId, history, cancellationToken);
    }

    /// <summary>What approving a switch is about.</summary>
    public static ApprovalSubject SubjectOf(SwitchAction action, DeploymentEnvironment environment, string mapId) =>
        new(action == SwitchAction.Activate ? SubjectKind.ActivateVersionMap : SubjectKind.RollbackVersionMap, environment, mapId);

    /// <param name="history">The environment's switches when the caller has already read them, so a rollback reads the stream once.</param>
    private async Task<VersionSwitch> SwitchAsync(Principal caller, DeploymentEnvironment environment, SwitchAction action, VersionMap map, string reason,
        string? expectedFrom, bool checkExpected, string? approvalId, IReadOnlyList<VersionSwitch>? history, CancellationToken cancellationToken)
    {
        var current = history is null ? await LatestSwitchAsync(environment, cancellationToken) : history.FirstOrDefault();
        if (checkExpected && current?.ToMap != expectedFrom)
            throw new GovernanceException(GovernanceReasons.MapConflict,
                $"{environment}'s active map is {current?.ToMap ?? "none"}, not {expectedFrom ?? "none"} as the request expected; nothing was switched.");
        if (current?.ToMap == map.Id)
            throw new GovernanceException(GovernanceReasons.MapAlreadyActive, $"{map.Id} is already {environment}'s Active Version Map.");
        string? approver = null;
        if (EnvironmentCatalog.Profile(environment).RequiresApproval)
        {
            var approval = await approvals.RequireApprovedAsync(approvalId, SubjectOf(action, environment, map.Id), caller, cancellationToken);
            history ??= await HistoryAsync(environment, int.MaxValue, cancellationToken);
            if (history.Any(change => change.ApprovalId == approvalId))
                throw new GovernanceException(GovernanceReasons.NotPending, $"Approval {approvalId} was already used for a switch; an approval is used once.");
            approver = approval.DecidedBy;
        }
        var payload = new JsonObject
        {
            ["action"] = action == SwitchAction.Activate ? "ACTIVATE" : "ROLLBACK",
            ["from_map"] = current?.ToMap,
            ["to_map"] = map.Id,
            ["config_version"] = map.Config,
            ["reason"] = reason,
            ["operator"] = caller.Subject,
            ["approver"] = approver,
            ["approval_id"] = approvalId,
        };
        try
        {
            var record = await Stream(environment).AppendAsync(current?.Sequence ?? 0, key => LedgerEntry.Create(
                new LedgerEntryFields("version_map_switch", key, clock.GetUtcNow(), caller.Subject, map.Id, environment.ToString(),
                    [.. new[] { current?.ToMap, map.Id, approvalId }.OfType<string>()]),
                payload), cancellationToken);
            return VersionSwitch.From(environment, record);
        }
        catch (StreamConflictException)
        {
            throw new GovernanceException(GovernanceReasons.MapConflict, $"{environment}'s Active Version Map was switched by someone else at the same moment; nothing was switched.");
        }
    }

    /// <summary>Registrations read so far: a map never changes under its id, so one read is enough for the life of the host.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, RegisteredMap> registered = new(StringComparer.Ordinal);

    private async Task<RegisteredMap?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (registered.TryGetValue(id, out var known)) return known;
        var found = await ReadRegistrationAsync(id, cancellationToken);
        if (found is not null) registered.TryAdd(id, found with { Existing = false });
        return found;
    }

    private async Task<RegisteredMap?> ReadRegistrationAsync(string id, CancellationToken cancellationToken)
    {
        // Only ids made by VersionMap.Create reach storage: a table key may not hold every character a URL can carry.
        if (id.Length != VersionMap.IdPrefix.Length + 32 || !id.StartsWith(VersionMap.IdPrefix, StringComparison.Ordinal)
            || !id[VersionMap.IdPrefix.Length..].All(char.IsAsciiHexDigitLower)) return null;
        if (await table.GetAsync(MapPartition, id, cancellationToken) is { } row)
        {
            var (stored, storedIndex) = ProjectedEntry.Read(row);
            return Registered(stored, storedIndex, false);
        }
        // Registered in the ledger, row not written yet (a crash between the two): the ledger is the record.
        if (audit.Find(RegistrationKey(id)) is { } index)
        {
            var entry = await audit.ReadAsync(index, cancellationToken);
            await table.TryInsertAsync(MapPartition, id, ProjectedEntry.Json(entry, index), cancellationToken);
            return Registered(entry, index, false);
        }
        return null;
    }

    private static RegisteredMap Registered(LedgerEntry entry, long index, bool existing)
    {
        var payload = entry.Payload();
        return new RegisteredMap(VersionMap.FromJson(payload.GetProperty("map")), entry.Fields.Actor, entry.Fields.Time, index, existing);
    }

    private static string RegistrationKey(string id) => $"vmap:{id}";

    private AuditedStream Stream(DeploymentEnvironment environment) => new(table, audit, $"vmap-{environment}");

}
