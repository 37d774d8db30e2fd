using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Tollgate.Release.Benchmarks.Rollback;

/// <summary>What every host of one run shares: one task hub on one storage account, one data folder, the keys, the exchange.</summary>
/// <param name="DataDir">Shared by every host, so they all sign the ledger with the same dev key kept there.</param>
/// <param name="LocalSigningKey">Base64 key of the local bearer tokens.</param>
/// <param name="ReleaseSigningKey">Base64 PKCS#8 DER ECDSA P-256 private key: the secret <c>release-signing-key</c> of the Sign stage.</param>
/// <param name="RulesPollMs">Tollgate:Execution:RulesPollMs, or null for the host's default.</param>
internal sealed record HostCluster(string RepoRoot, string Storage, string TaskHub, string DataDir, string LocalSigningKey, string ReleaseSigningKey,
    FakeExchangeProcess Exchange, int? RulesPollMs);

/// <summary>
/// A real Tollgate host (src/Tollgate.Host, Release build) as a child process in Paper mode on a free loopback port,
/// with the environment scripts/run-local.sh gives its host. The host exposes no per-host split epoch over HTTP
/// (<c>ExecutionPlane.SplitEpoch</c> is not in <c>GET /api/execution</c>), so this reads it from the line the host
/// logs each time it swaps its rule selection ("Order path: rules … (split #N)"), written just before it stores its
/// acknowledgement of record N.
/// </summary>
internal sealed partial class HostProcess : IAsyncDisposable
{
    private readonly ConcurrentDictionary<long, SplitServed> served = new();
    private ChildProcess process = null!;

    private HostProcess(string hostId) => HostId = hostId;

    public string HostId { get; }

    public string Endpoint { get; private set; } = "";

    public string Tail() => process.Tail();

    public bool HasExited => process.HasExited;

    public static async Task<HostProcess> StartAsync(HostCluster cluster, string hostId, CancellationToken cancellationToken)
    {
        var exchange = cluster.Exchange;
        var environment = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = cluster.Storage,
            ["TOLLGATE_TASK_HUB"] = cluster.TaskHub,
            ["TOLLGATE_DATA_DIR"] = cluster.DataDir,
            ["TOLLGATE_HOST_ID"] = hostId,
            ["Tollgate__Auth__LocalSigningKey"] = cluster.LocalSigningKey,
            ["Tollgate__Markets__Instruments"] = "SPOT:BTCUSDT,SPOT:ETHUSDT,FUT:BTCUSDT",
            ["Tollgate__Markets__SpotRestUrl"] = exchange.Endpoint,
            ["Tollgate__Markets__FuturesRestUrl"] = exchange.Endpoint,
            ["Tollgate__Markets__SpotStreamUrl"] = exchange.StreamEndpoint,
            ["Tollgate__Markets__FuturesStreamUrl"] = exchange.StreamEndpoint + "/futures",
            ["Tollgate__Execution__Environment"] = "Paper",
            ["release-signing-key"] = cluster.ReleaseSigningKey,
        };
        if (cluster.RulesPollMs is { } poll) environment["Tollgate__Execution__RulesPollMs"] = poll.ToString(CultureInfo.InvariantCulture);
        var host = new HostProcess(hostId);
        var dll = Path.Combine(cluster.RepoRoot, "src", "Tollgate.Host", "bin", "Release", "net10.0", "Tollgate.Host.dll");
        host.process = ChildProcess.Start($"host {hostId}", dll, ["--urls", "http://127.0.0.1:0", "--contentRoot", cluster.RepoRoot], environment, host.OnLine);
        try
        {
            host.Endpoint = await host.process.ListeningAsync(TimeSpan.FromSeconds(90), cancellationToken);
            return host;
        }
        catch
        {
            await host.process.DisposeAsync();
            throw;
        }
    }

    /// <summary>When this host logged that it decides by split record <paramref name="sequence"/>, or null when it has not (yet).</summary>
    public SplitServed? Served(long sequence) => served.TryGetValue(sequence, out var s) ? s : null;

    public ValueTask DisposeAsync() => process.DisposeAsync();

    private void OnLine(string line, long at)
    {
        if (SplitLine().Match(line) is not { Success: true } match) return;
        var sequence = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        // The first line per record counts: a later reload of the same record changes nothing the host decides.
        served.TryAdd(sequence, new SplitServed(sequence, line.Contains(", canary ", StringComparison.Ordinal), at));
    }

    // ExecutionPlane.LoadRulesAsync: "Order path: rules {Rev} (...) from map {Map} in force (split #{Epoch})" or
    // "Order path: rules {Rev} from map {Map}, canary {Canary} from map {CanaryMap} on {Weight}% of decisions by {SplitBy} (split #{Epoch})".
    [GeneratedRegex(@"Order path: rules .*\(split #(\d+)\)")]
    private static partial Regex SplitLine();
}

/// <summary>A host's log line saying it now decides by split record <paramref name="Sequence"/>; <paramref name="At"/> is when the benchmark read it (<see cref="Stopwatch"/> timestamp).</summary>
internal sealed record SplitServed(long Sequence, bool WithCanary, long At);
