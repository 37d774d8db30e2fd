using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tollgate.Governance.Benchmarks;

// Governance figures (docs/BENCHMARKS.md): gate evaluation over HTTP on loopback at a fixed request rate (open loop:
// latency counts from when each request was due, so a slow host cannot hide its queue), and kill-switch propagation
// from the command to every host instance observing it. Real host processes on Azurite (TOLLGATE_BENCH_STORAGE;
// `scripts/bench.sh governance` starts one).
var rateOption = new Option<int>("--rate") { Description = "Gate evaluations per second.", DefaultValueFactory = _ => 200 };
var secondsOption = new Option<int>("--seconds") { Description = "Seconds of load per gate.", DefaultValueFactory = _ => 10 };
var hostsOption = new Option<int>("--hosts") { Description = "Host instances for kill-switch propagation.", DefaultValueFactory = _ => 3 };
var roundsOption = new Option<int>("--rounds") { Description = "Engage/release rounds.", DefaultValueFactory = _ => 50 };
var root = new RootCommand("Measures gate evaluation latency under load and kill-switch propagation; prints Markdown.")
{
    rateOption, secondsOption, hostsOption, roundsOption,
};
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0 || args.Contains("--help") || args.Contains("-h")) return await parsed.InvokeAsync();
var rate = parsed.GetValue(rateOption);
var seconds = parsed.GetValue(secondsOption);
var hostCount = parsed.GetValue(hostsOption);
var rounds = parsed.GetValue(roundsOption);
var storage = Environment.GetEnvironmentVariable("TOLLGATE_BENCH_STORAGE");
if (string.IsNullOrWhiteSpace(storage))
{
    Console.Error.WriteLine("TOLLGATE_BENCH_STORAGE is not set (scripts/bench.sh governance starts Azurite and sets it).");
    return 2;
}

var key = RandomNumberGenerator.GetBytes(32);
var taskHub = "gbench" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
var dataDir = Directory.CreateTempSubdirectory("tollgate-governance-bench-").FullName;
string Token(string subject, params string[] roles) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
{
    Issuer = "tollgate-local",
    Audience = "api://tollgate",
    Expires = DateTime.UtcNow.AddHours(2),
    Claims = new Dictionary<string, object> { ["sub"] = subject, ["roles"] = roles },
    SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
});
var pipeline = Token("bench-ci", "Pipeline");
var operatorToken = Token("bench-operator", "Operator");
var auditor = Token("bench-auditor", "Auditor");

Console.WriteLine($"# Governance benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} logical processors, {RuntimeInformation.OSDescription.Trim()}, .NET {Environment.Version}");
Console.WriteLine();
Console.WriteLine($"Gates: one host process, POST /api/gates/{{gate}}/evaluations at {rate} requests/s for {seconds} s per gate, open loop (latency from when each request was due). Kill switch: {hostCount} host processes on one Azurite task hub.");
Console.WriteLine();

var hosts = new List<HostProcess>();
try
{
    // Gate latency: one host at a time, first with its task hub in memory (the host's own cost), then on Azurite.
    Console.WriteLine("| Backend | Gate | Requests | Achieved rate (/s) | p50 (ms) | p95 (ms) | p99 (ms) | Max (ms) | Errors | Target |");
    Console.WriteLine("|---|---|--:|--:|--:|--:|--:|--:|--:|---|");
    foreach (var (backend, connection) in new[] { ("in-memory", "in-memory"), ("azurite", storage) })
    {
        var single = await HostProcess.StartAsync(connection, taskHub + backend[..2], Convert.ToBase64String(key), dataDir, $"bench-gates-{backend}");
        await single.WaitReadyAsync(auditor);
        using var gateHttp = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = new Uri(single.Endpoint),
            Timeout = TimeSpan.FromSeconds(30),
        };
        // The release under test: its rulebook and policy stored, its version map registered.
        var mapId = await SetUpReleaseAsync(gateHttp, pipeline);
        var body = JsonSerializer.Serialize(new
        {
            environment = "Research",
            release_id = "bench-release",
            version_map_id = mapId,
            document_index = new[] { new { doc_key = "DEPLOY_OPS", version = "2025-12-19", status = "ACTIVE" } },
            veto_reason_codes = new[] { new { code = "RISK_MAX_QTY", description = "order quantity above the policy maximum" } },
        });
        foreach (var gate in new[] { "VERSION_AUDIT", "RISK_COMPLIANCE", "EXECUTION_CONTROL", "UI_SPEC" })
        {
            await LoadAsync(gateHttp, gate, body, pipeline, Math.Max(20, rate / 2), 2); // warm-up
            var (latencies, achieved, errors) = await LoadAsync(gateHttp, gate, body, pipeline, rate, seconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {backend} | {gate} | {latencies.Count + errors:N0} | {achieved:N0} | {Percentile(latencies, 50):0.0} | {Percentile(latencies, 95):0.0} | {Percentile(latencies, 99):0.0} | {latencies.DefaultIfEmpty().Max():0.0} | {errors} | p99 < 20 ms |"));
        }
        await single.DisposeAsync();
    }
    Console.WriteLine();

    for (var i = 0; i < hostCount; i++)
    {
        hosts.Add(await HostProcess.StartAsync(storage, taskHub, Convert.ToBase64String(key), dataDir, $"bench-host-{i}"));
        await hosts[^1].WaitReadyAsync(auditor);
        Console.Error.WriteLine($"host {i} at {hosts[^1].Endpoint}");
    }

    // Kill-switch propagation: every host's event stream, the command on each host in turn.
    var streams = hosts.Select(host => new KillSwitchStream(host.Endpoint, auditor)).ToList();
    foreach (var stream in streams) await stream.StartAsync();
    await WaitForPeersAsync(streams, hosts, operatorToken);
    var engage = new List<double>();
    var engageVia = new List<double>();
    var release = new List<double>();
    for (var round = 0; round < rounds; round++)
    {
        var via = round % hosts.Count;
        var observed = await ObserveChangeAsync(hosts[via], streams, operatorToken, "engage", engaged: true);
        engage.Add(observed.Max());
        engageVia.Add(observed[via]);
        release.Add((await ObserveChangeAsync(hosts[via], streams, operatorToken, "release", engaged: false)).Max());
    }
    Console.WriteLine("| Measure | Rounds | p50 (ms) | p95 (ms) | p99 (ms) | Max (ms) | Target |");
    Console.WriteLine("|---|--:|--:|--:|--:|--:|---|");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| kill switch ENGAGE: command sent → all {hosts.Count} hosts observe it | {engage.Count} | {Percentile(engage, 50):0.00} | {Percentile(engage, 95):0.00} | {Percentile(engage, 99):0.00} | {engage.Max():0.00} | ≤ 10 ms |"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| kill switch ENGAGE: command sent → the host that took it observes it | {engageVia.Count} | {Percentile(engageVia, 50):0.00} | {Percentile(engageVia, 95):0.00} | {Percentile(engageVia, 99):0.00} | {engageVia.Max():0.00} | – |"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| kill switch RELEASE (Research, no approval): command sent → all {hosts.Count} hosts observe it | {release.Count} | {Percentile(release, 50):0.00} | {Percentile(release, 95):0.00} | {Percentile(release, 99):0.00} | {release.Max():0.00} | – |"));
    foreach (var stream in streams) stream.Dispose();
    return 0;
}
finally
{
    foreach (var host in hosts) await host.DisposeAsync();
    try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
}

static async Task<string> SetUpReleaseAsync(HttpClient http, string token)
{
    async Task<JsonElement> SendAsync(HttpMethod method, string path, HttpContent content)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
    var rulebook = (await SendAsync(HttpMethod.Put, "/api/objects", new ByteArrayContent("bench rulebook v1\n"u8.ToArray()))).GetProperty("digest").GetString();
    var policy = (await SendAsync(HttpMethod.Put, "/api/objects", new ByteArrayContent("bench policy v1\n"u8.ToArray()))).GetProperty("digest").GetString();
    var map = await SendAsync(HttpMethod.Post, "/api/version-maps", JsonContent.Create(new
    {
        environment = "Research", docs = "d1", policy = "p1", model = "m1", config = "c1", code = "bench",
        rulebook_snapshot_ref = rulebook, artifacts = new[] { new { name = "policy", @ref = "p1", digest = policy } },
    }));
    return map.GetProperty("map").GetProperty("id").GetString()!;
}

static async Task<(List<double> Latencies, double Achieved, int Errors)> LoadAsync(HttpClient http, string gate, string body, string token, int rate, int seconds)
{
    var total = rate * seconds;
    var latencies = new double[total];
    var failed = new bool[total];
    var clock = Stopwatch.StartNew();
    var tasks = new Task[total];
    for (var i = 0; i < total; i++)
    {
        var due = TimeSpan.FromSeconds((double)i / rate);
        var wait = due - clock.Elapsed;
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        var index = i;
        tasks[i] = Task.Run(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/gates/{gate}/evaluations") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            try
            {
                using var response = await http.SendAsync(request);
                await response.Content.ReadAsByteArrayAsync();
                failed[index] = response.StatusCode != System.Net.HttpStatusCode.Created;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                failed[index] = true;
            }
            latencies[index] = (clock.Elapsed - due).TotalMilliseconds;
        });
    }
    await Task.WhenAll(tasks);
    var elapsed = clock.Elapsed.TotalSeconds;
    var ok = Enumerable.Range(0, total).Where(i => !failed[i]).Select(i => latencies[i]).ToList();
    return (ok, total / elapsed, failed.Count(f => f));
}

static async Task WaitForPeersAsync(List<KillSwitchStream> streams, List<HostProcess> hosts, string token)
{
    // Hosts learn each other from their heartbeats (every 5 s); a push only reaches a host its sender knows.
    for (var attempt = 0; attempt < 20; attempt++)
    {
        await Task.Delay(TimeSpan.FromSeconds(1));
        var latency = await TimeChangeAsync(hosts[0], streams, token, "engage", engaged: true, timeout: TimeSpan.FromSeconds(5));
        await TimeChangeAsync(hosts[0], streams, token, "release", engaged: false, timeout: TimeSpan.FromSeconds(5));
        if (latency < 200) return;
    }
}

static async Task<double> TimeChangeAsync(HostProcess via, List<KillSwitchStream> streams, string token, string action, bool engaged, TimeSpan? timeout = null) =>
    (await ObserveChangeAsync(via, streams, token, action, engaged, timeout)).Max();

/// <summary>Milliseconds from sending the command to each stream showing the change, in stream order.</summary>
static async Task<double[]> ObserveChangeAsync(HostProcess via, List<KillSwitchStream> streams, string token, string action, bool engaged, TimeSpan? timeout = null)
{
    using var http = new HttpClient { BaseAddress = new Uri(via.Endpoint) };
    foreach (var stream in streams) stream.Expect(engaged);
    var clock = Stopwatch.StartNew();
    using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/kill-switch/Research/{action}")
    {
        Content = JsonContent.Create(new { reason = $"benchmark {action}" }),
    };
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    var sent = Stopwatch.GetTimestamp();
    var send = http.SendAsync(request);
    var observed = await Task.WhenAll(streams.Select(stream => stream.ObservedAsync(timeout ?? TimeSpan.FromSeconds(30))));
    using var response = await send;
    if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{action}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    return [.. observed.Select(at => Stopwatch.GetElapsedTime(sent, at).TotalMilliseconds)];
}

static double Percentile(IReadOnlyList<double> values, double percentile)
{
    if (values.Count == 0) return double.NaN;
    var sorted = values.Order().ToArray();
    var rank = percentile / 100 * (sorted.Length - 1);
    var low = (int)Math.Floor(rank);
    var high = (int)Math.Ceiling(rank);
    return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}
