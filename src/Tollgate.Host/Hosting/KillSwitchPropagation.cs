using System.Net.Http.Json;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tollgate.Durable.Worker;
using Tollgate.Governance.Environments;
using Tollgate.Governance.Identity;
using Tollgate.Governance.KillSwitch;
using Tollgate.Host.Settings;

namespace Tollgate.Host.Hosting;

/// <summary>
/// Gets a kill-switch change to every host instance at once. The host that made the change pushes a hint to every
/// other live host (<c>POST /api/kill-switch/notify</c>), which re-reads the switch from storage: a push, so a
/// change is seen in milliseconds, and a hint, so a forged one can make a host read, never change. Hosts find each
/// other in the <c>&lt;hub&gt;Peers</c> table, where each keeps its loopback address fresh. Every host also re-reads
/// every environment each second, which covers a missed push, a host that joined late, and Azure, where instances
/// have no address of their own.
/// </summary>
public sealed class KillSwitchPropagation(
    HostSettings settings, GovernanceHost governance, LedgerHost ledger, DurableWorker worker, IServer server, IHostApplicationLifetime lifetime,
    TimeProvider clock, ILogger<KillSwitchPropagation> logger) : BackgroundService
{
    /// <summary>How old a signed engagement may be when it arrives; older ones are read from storage like any hint.</summary>
    private static readonly TimeSpan SignedPushWindow = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PeerWindow = TimeSpan.FromSeconds(20);

    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(1) };
    private volatile string[] peers = [];
    private string? address;

    /// <summary>
    /// Stops <paramref name="environment"/>: first this host and every other one block orders (the provisional state,
    /// pushed signed), then the durable record, then the hint to re-read it. The one way the switch is engaged,
    /// by a person over HTTP or by Tollgate itself (a failed reconciliation).
    /// </summary>
    public async Task<KillSwitchState> EngageAsync(Principal caller, DeploymentEnvironment environment, string reason, IReadOnlyList<string> codes,
        CancellationToken cancellationToken)
    {
        if (governance.KillSwitch.Provisional(caller, environment, reason, codes) is { } provisional && governance.KillSwitch.Board.Apply(provisional))
            await PushEngagedAsync(provisional);
        var state = await governance.KillSwitch.EngageAsync(caller, environment, reason, codes, cancellationToken);
        await PushAsync(environment);
        return state;
    }

    /// <summary>Tells every other live host to re-read <paramref name="environment"/>; never fails the caller.</summary>
    public Task PushAsync(DeploymentEnvironment environment) => NotifyPeersAsync(new { environment = environment.ToString() });

    /// <summary>
    /// Sends an engagement to every other host before it is stored, signed with a key only Tollgate's hosts hold
    /// (derived from the ledger's signing key), so each applies it at once; each then reads storage for the record.
    /// </summary>
    public Task PushEngagedAsync(KillSwitchState engaged)
    {
        if (PushKey() is not { } key) return Task.CompletedTask;
        var push = new SignedEngagement(engaged.Environment.ToString(), engaged.Sequence, engaged.Actor, LedgerTime(engaged.At), engaged.Reason,
            [.. engaged.ReasonCodes], "");
        return NotifyPeersAsync(push with { Signature = push.Sign(key) });
    }

    /// <summary>POSTs <paramref name="body"/> to every other live host's notify endpoint at once; a host that does not answer catches up by its poll.</summary>
    private async Task NotifyPeersAsync(object body)
    {
        await Task.WhenAll(peers.Select(async peer =>
        {
            try
            {
                // Declared as object, the body is written as its runtime type.
                using var response = await http.PostAsJsonAsync(new Uri(new Uri(peer), $"{settings.RoutePrefix}/kill-switch/notify"), body, Api.GovernanceJson.Options);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                logger.LogDebug("Kill-switch push to {Peer} failed ({Error}); its poll will catch up", peer, e.Message);
            }
        }));
    }

    /// <summary>
    /// Another host says <paramref name="environment"/> changed. A valid signed engagement is applied at once; in any
    /// case the switch is then read from storage, which is what counts.
    /// </summary>
    public Task HintAsync(DeploymentEnvironment environment, SignedEngagement? engagement)
    {
        if (engagement is not null && PushKey() is { } key && engagement.Verify(key)
            && DateTimeOffset.TryParse(engagement.At, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
            && (clock.GetUtcNow() - at).Duration() <= SignedPushWindow)
        {
            governance.KillSwitch.Board.Apply(new KillSwitchState(environment, true, engagement.Sequence, engagement.Reason, engagement.ReasonCodes,
                engagement.Actor, at, false, null));
            // Applied: answer the sender now, and read the stored record in the background.
            _ = RefreshQuietlyAsync(environment);
            return Task.CompletedTask;
        }
        return governance.KillSwitch.RefreshAsync(environment, CancellationToken.None);
    }

    private async Task RefreshQuietlyAsync(DeploymentEnvironment environment)
    {
        try { await governance.KillSwitch.RefreshAsync(environment, CancellationToken.None); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogDebug("Kill-switch read of {Environment} after a push failed ({Error}); the poll will catch up", environment, e.Message);
        }
    }

    private byte[]? pushKey;

    /// <summary>HKDF-SHA256 of the ledger's private key (PKCS#8 DER): every host of this Tollgate has it, nobody else does. Null until the ledger is open.</summary>
    private byte[]? PushKey()
    {
        if (Volatile.Read(ref pushKey) is { } key) return key;
        if (ledger.Signer is not { } signer) return null;
        // The key's DER (PKCS#8), not its PEM text, so line endings cannot make two hosts disagree.
        var pem = signer.ExportPkcs8Pem();
        var der = Convert.FromBase64String(pem[System.Security.Cryptography.PemEncoding.Find(pem).Base64Data]);
        key = System.Security.Cryptography.HKDF.DeriveKey(System.Security.Cryptography.HashAlgorithmName.SHA256, der, 32, info: "tollgate/kill-switch-push"u8.ToArray());
        Volatile.Write(ref pushKey, key);
        return key;
    }

    private static string LedgerTime(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        try { await started.Task.WaitAsync(stoppingToken); }
        catch (OperationCanceledException) { return; }
        address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault(url => url.Contains("127.0.0.1", StringComparison.Ordinal));
        var peerTable = settings.Storage.IsInMemory ? null : new TableServiceClient(settings.Storage.ConnectionString).GetTableClient(settings.TaskHub + "Peers");
        var lastHeartbeat = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (peerTable is not null && DateTimeOffset.UtcNow - lastHeartbeat >= HeartbeatInterval)
            {
                try
                {
                    await HeartbeatAsync(peerTable, stoppingToken);
                    lastHeartbeat = DateTimeOffset.UtcNow;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogDebug("Kill-switch peer heartbeat failed: {Error}", e.Message);
                }
            }
            foreach (var environment in EnvironmentCatalog.All)
            {
                try { await governance.KillSwitch.RefreshAsync(environment, stoppingToken); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogDebug("Kill-switch poll of {Environment} failed: {Error}", environment, e.Message);
                }
            }
            try { await Task.Delay(PollInterval, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Keeps this host's address fresh and learns the others'. The table is a discovery cache, not governed state.</summary>
    private async Task HeartbeatAsync(TableClient table, CancellationToken cancellationToken)
    {
        await table.CreateIfNotExistsAsync(cancellationToken);
        if (address is not null)
            await table.UpsertEntityAsync(new TableEntity("peers", worker.HostId) { ["Url"] = address, ["Seen"] = DateTimeOffset.UtcNow },
                TableUpdateMode.Replace, cancellationToken);
        var since = DateTimeOffset.UtcNow - PeerWindow;
        var found = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"peers"} and Seen ge {since}"),
                           cancellationToken: cancellationToken))
        {
            if (row.RowKey != worker.HostId && row.GetString("Url") is { } url) found.Add(url);
        }
        peers = [.. found];
    }

    public override void Dispose()
    {
        http.Dispose();
        base.Dispose();
    }
}

/// <summary>An engagement pushed between hosts before it is stored, with an HMAC-SHA256 over everything it says.</summary>
public sealed record SignedEngagement(string Environment, long Sequence, string Actor, string At, string Reason, string[] ReasonCodes, string Signature)
{
    public string Sign(byte[] key) => Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(key, Text()));

    public bool Verify(byte[] key) => Signature.Length == 64 && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
        System.Text.Encoding.ASCII.GetBytes(Sign(key)), System.Text.Encoding.ASCII.GetBytes(Signature));

    private byte[] Text() => System.Text.Encoding.UTF8.GetBytes(string.Join('\n', Environment, Sequence, Actor, At, Reason, string.Join(',', ReasonCodes)));
}
