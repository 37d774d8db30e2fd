using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Governance.Approvals;
using Tollgate.Governance.Audit;
using Tollgate.Governance.Environments;
using Tollgate.Governance.Identity;
using Tollgate.Governance.Storage;
using Tollgate.Ledger.Entries;

namespace Tollgate.Governance.KillSwitch;

/// <summary>
/// The kill switch of each environment (seed 000 §2 "stoppable", §10.2 step 1, §11.2; seed 002 A.2). Every change is
/// a record of the environment's audited stream <c>kill-&lt;environment&gt;</c>, applied to this process's
/// <see cref="KillSwitchBoard"/> at once and pushed to the other hosts by whoever hosts this service.
/// </summary>
/// <remarks>
/// Stopping must work when auditing does not: "the ledger cannot be written" (SYS-AUDIT) is itself a reason to
/// stop. So an engagement the ledger refuses is stored as an <em>emergency</em> row and takes effect anyway; it is
/// written to the ledger as soon as the ledger takes writes again (<see cref="AbsorbEmergenciesAsync"/>), and the
/// switch cannot be released before that. Releasing is always audited, and on a live-grade environment needs a
/// four-eyes approval.
/// </remarks>
public sealed class KillSwitchService(GovernanceTable table, IAuditLog audit, ApprovalService approvals, KillSwitchBoard board, TimeProvider clock)
{
    private const string PreflightPartition = "kill-preflight";

    public KillSwitchBoard Board { get; } = board;

    /// <summary>The stored state (audited records, plus any emergency engagement not yet in the ledger).</summary>
    public async Task<KillSwitchState> ReadAsync(DeploymentEnvironment environment, CancellationToken cancellationToken)
    {
        var latest = await Stream(environment).LatestAsync(cancellationToken);
        var state = latest is null ? KillSwitchState.Initial(environment) : StateOf(environment, latest);
        var emergency = (await PendingEmergenciesAsync(environment, cancellationToken)).LastOrDefault();
        return emergency is null
            ? state
            : new KillSwitchState(environment, true, state.Sequence, emergency.Reason, emergency.ReasonCodes, emergency.Actor, emergency.At, false, null);
    }

    /// <summary>Reads the stored state and applies it to this process's board; what a push or a poll triggers.</summary>
    public async Task<KillSwitchState> RefreshAsync(DeploymentEnvironment environment, CancellationToken cancellationToken)
    {
        var state = await ReadAsync(environment, cancellationToken);
        Board.Apply(state);
        return Board.Current(environment);
    }

    /// <summary>
    /// What engaging <paramref name="environment"/> now will look like before it is stored: applied to this host's board
    /// at once (and pushed to the other hosts) while <see cref="EngageAsync"/> makes it durable. Stopping early is
    /// always safe; the stored record replaces it within milliseconds. Null when the switch is already engaged here.
    /// </summary>
    /// <exception cref="GovernanceException"><see cref="GovernanceReasons.SharedAccount"/>, before anything is applied.</exception>
    public KillSwitchState? Provisional(Principal caller, DeploymentEnvironment environment, string reason, IReadOnlyList<string> reasonCodes)
    {
        EnvironmentPolicy.CheckActor(caller, environment);
        var current = Board.Current(environment);
        return current.Engaged ? null : new KillSwitchState(environment, true, current.Sequence, reason, reasonCodes, caller.Subject, clock.GetUtcNow(), false, null);
    }

    /// <summary>
    /// Blocks new orders in <paramref name="environment"/>. Engaging an engaged switch changes nothing. A shared
    /// account may not engage it on a live-grade environment (seed 000 §8.1), as it may do nothing else there.
    /// </summary>
    public async Task<KillSwitchState> EngageAsync(Principal caller, DeploymentEnvironment environment, string reason, IReadOnlyList<string> reasonCodes,
        CancellationToken cancellationToken)
    {
        EnvironmentPolicy.CheckActor(caller, environment);
        var current = await ReadAsync(environment, cancellationToken);
        if (current.Engaged)
        {
            Board.Apply(current);
            return current;
        }
        try
        {
            var record = await Stream(environment).AppendAsync(current.Sequence,
                key => Entry(key, caller.Subject, environment, "ENGAGED", reason, reasonCodes, null, null, clock.GetUtcNow()), cancellationToken);
            return Applied(environment, record);
        }
        catch (StreamConflictException)
        {
            // Someone else changed it at the same moment; if they engaged it, so much the better.
            var now = await RefreshAsync(environment, cancellationToken);
            if (now.Engaged) return now;
            throw new GovernanceException(GovernanceReasons.KillConflict, $"The {environment} kill switch changed while it was being engaged; engage it again.");
        }
        catch (GovernanceException e) when (e.Reason == GovernanceReasons.AuditUnavailable)
        {
            return await EngageUnauditedAsync(caller, environment, reason, reasonCodes, current, cancellationToken);
        }
    }

    /// <summary>Lets orders flow again; on a live-grade environment only with an approved four-eyes approval for this very engagement.</summary>
    public async Task<KillSwitchState> ReleaseAsync(Principal caller, DeploymentEnvironment environment, string reason, string? approvalId,
        CancellationToken cancellationToken)
    {
        EnvironmentPolicy.CheckActor(caller, environment);
        await AbsorbEmergenciesAsync(environment, cancellationToken);
        var current = await ReadAsync(environment, cancellationToken);
        if (!current.Engaged)
        {
            Board.Apply(current);
            return current;
        }
        string? approver = null;
        if (EnvironmentCatalog.Profile(environment).RequiresApproval)
        {
            var approval = await approvals.RequireApprovedAsync(approvalId, ReleaseSubject(current), caller, cancellationToken);
            approver = approval.DecidedBy;
        }
        try
        {
            var record = await Stream(environment).AppendAsync(current.Sequence,
                key => Entry(key, caller.Subject, environment, "RELEASED", reason, [], approver, approvalId, clock.GetUtcNow()), cancellationToken);
            return Applied(environment, record);
        }
        catch (StreamConflictException)
        {
            throw new GovernanceException(GovernanceReasons.KillConflict, $"The {environment} kill switch changed while it was being released; read it again.");
        }
    }

    /// <summary>What approving the release of the current engagement is about: that engagement, by its record key.</summary>
    public ApprovalSubject ReleaseSubject(KillSwitchState engaged) => new(SubjectKind.ReleaseKillSwitch, engaged.Environment,
        Stream(engaged.Environment).KeyOf(engaged.Sequence));

    /// <summary>Seed 000 §5.3: can the switch be triggered (storage takes a write), reported (what is stored is what this host enforces), and audited.</summary>
    public async Task<KillSwitchPreflight> PreflightAsync(DeploymentEnvironment environment, CancellationToken cancellationToken)
    {
        var preflight = await RunPreflightAsync(environment, cancellationToken);
        recentPreflights[(int)environment] = (clock.GetUtcNow(), preflight);
        return preflight;
    }

    /// <summary>
    /// A preflight at most <paramref name="maxAge"/> old, or a new one: a burst of gate evaluations need not each
    /// write a probe row, while a gate never judges on a preflight older than that.
    /// </summary>
    public async Task<KillSwitchPreflight> RecentPreflightAsync(DeploymentEnvironment environment, TimeSpan maxAge, CancellationToken cancellationToken)
    {
        var (at, preflight) = recentPreflights[(int)environment];
        return preflight is not null && clock.GetUtcNow() - at <= maxAge ? preflight : await PreflightAsync(environment, cancellationToken);
    }

    private readonly (DateTimeOffset At, KillSwitchPreflight? Preflight)[] recentPreflights = new (DateTimeOffset, KillSwitchPreflight?)[EnvironmentCatalog.All.Count];

    private async Task<KillSwitchPreflight> RunPreflightAsync(DeploymentEnvironment environment, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var canTrigger = false;
        var canReport = false;
        try
        {
            var probe = $"{environment}-{clock.GetUtcNow().UtcTicks.ToString("D19", CultureInfo.InvariantCulture)}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
            canTrigger = await table.TryInsertAsync(PreflightPartition, probe, "{}", cancellationToken)
                && await table.GetAsync(PreflightPartition, probe, cancellationToken) is not null;
            if (!canTrigger) problems.Add("the governance table did not keep a probe write");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            problems.Add($"the governance table refused a write: {e.GetType().Name}");
        }
        try
        {
            // Compare what storage says with what this host enforces after taking it (RefreshAsync answers with the
            // board itself, so comparing its answer to the board could never differ).
            var stored = await ReadAsync(environment, cancellationToken);
            Board.Apply(stored);
            canReport = Board.Current(environment).Engaged == stored.Engaged;
            if (!canReport) problems.Add("this host's kill-switch state differs from the stored one");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            problems.Add($"the kill-switch state cannot be read: {e.GetType().Name}");
        }
        var audited = audit.IsAvailable;
        if (!audited) problems.Add("the audit ledger is not open for writing");
        return new KillSwitchPreflight(environment, canTrigger, canReport, audited, problems);
    }

    /// <summary>Writes emergency engagements to the ledger (oldest first), once it takes writes again.</summary>
    public async Task AbsorbEmergenciesAsync(DeploymentEnvironment environment, CancellationToken cancellationToken)
    {
        foreach (var emergency in await PendingEmergenciesAsync(environment, cancellationToken))
        {
            var latest = await Stream(environment).LatestAsync(cancellationToken);
            await Stream(environment).AppendAsync(latest?.Sequence ?? 0, key => Entry(key, emergency.Actor, environment, "ENGAGED", emergency.Reason,
                emergency.ReasonCodes, null, null, emergency.At, emergency.Id), cancellationToken);
            await table.TryInsertAsync(AbsorbedPartition(environment), emergency.Id, "{}", cancellationToken);
        }
        Board.Apply(await ReadAsync(environment, cancellationToken));
    }

    private async Task<KillSwitchState> EngageUnauditedAsync(Principal caller, DeploymentEnvironment environment, string reason,
        IReadOnlyList<string> reasonCodes, KillSwitchState current, CancellationToken cancellationToken)
    {
        var at = clock.GetUtcNow();
        var id = $"{at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture)}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        var state = new KillSwitchState(environment, true, current.Sequence, reason, [.. reasonCodes.Append(GovernanceReasons.AuditUnavailable).Distinct()],
            caller.Subject, at, false, null);
        Board.Apply(state);
        // If storage refuses this too, the switch holds on this host only, and the caller hears why.
        await table.TryInsertAsync(EmergencyPartition(environment), id, JsonSerializer.Serialize(new EmergencyRow(id, reason, [.. state.ReasonCodes], caller.Subject, at)),
            cancellationToken);
        return state;
    }

    /// <summary>Emergency engagements the ledger does not hold yet, oldest first (row keys start with the time).</summary>
    /// <remarks>
    /// An absorbed emergency is marked so in the table: the stream records that name it fall out of any window of
    /// recent records, and without the mark it would count as pending again, engaging the switch. The window is
    /// still read for emergencies absorbed by a writer that stopped before marking them.
    /// </remarks>
    private async Task<IReadOnlyList<EmergencyRow>> PendingEmergenciesAsync(DeploymentEnvironment environment, CancellationToken cancellationToken)
    {
        var rows = await table.QueryAsync(EmergencyPartition(environment), "", 1000, cancellationToken);
        var unmarked = new List<EmergencyRow>();
        foreach (var row in rows.Select(row => JsonSerializer.Deserialize<EmergencyRow>(row.Json)!))
        {
            if (await table.GetAsync(AbsorbedPartition(environment), row.Id, cancellationToken) is null) unmarked.Add(row);
        }
        if (unmarked.Count == 0) return [];
        var absorbed = (await Stream(environment).ReadAsync(1000, cancellationToken))
            .Select(record => record.Payload.TryGetProperty("emergency_id", out var id) ? id.GetString() : null).OfType<string>().ToHashSet();
        foreach (var row in unmarked.Where(row => absorbed.Contains(row.Id)))
            await table.TryInsertAsync(AbsorbedPartition(environment), row.Id, "{}", cancellationToken);
        return [.. unmarked.Where(row => !absorbed.Contains(row.Id))];
    }

    private KillSwitchState Applied(DeploymentEnvironment environment, StreamRecord record)
    {
        var state = StateOf(environment, record);
        Board.Apply(state);
        return state;
    }

    private static KillSwitchState StateOf(DeploymentEnvironment environment, StreamRecord record)
    {
        var payload = record.Payload;
        return new KillSwitchState(environment, payload.GetProperty("state").GetString() == "ENGAGED", record.Sequence,
            payload.GetProperty("reason").GetString()!, [.. payload.GetProperty("reason_codes").EnumerateArray().Select(code => code.GetString()!)],
            record.Entry.Fields.Actor, record.Entry.Fields.Time, true, record.LedgerIndex);
    }

    private AuditedStream Stream(DeploymentEnvironment environment) => new(table, audit, $"kill-{environment}");

    private static string EmergencyPartition(DeploymentEnvironment environment) => $"kill-emergency-{environment}";

    private static string AbsorbedPartition(DeploymentEnvironment environment) => $"kill-emergency-absorbed-{environment}";

    private static LedgerEntry Entry(string key, string actor, DeploymentEnvironment environment, string state, string reason,
        IReadOnlyList<string> reasonCodes, string? approver, string? approvalId, DateTimeOffset at, string? emergencyId = null)
    {
        var payload = new JsonObject
        {
            ["state"] = state,
            ["scope"] = environment.ToString(),
            ["reason"] = reason,
            ["reason_codes"] = new JsonArray([.. reasonCodes.Select(code => (JsonNode)code)]),
            ["approver"] = approver,
            ["approval_id"] = approvalId,
        };
        if (emergencyId is not null) payload["emergency_id"] = emergencyId;
        return LedgerEntry.Create(new LedgerEntryFields("kill_switch", key, at, actor, key, environment.ToString(), approvalId is null ? [] : [approvalId]),
            payload);
    }

    private sealed record EmergencyRow(string Id, string Reason, string[] ReasonCodes, string Actor, DateTimeOffset At);
}
