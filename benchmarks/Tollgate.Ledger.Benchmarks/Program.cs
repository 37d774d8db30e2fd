using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Tollgate.Ledger.AzureStorage;
using Tollgate.Ledger.Entries;
using Tollgate.Ledger.Index;
using Tollgate.Ledger.Merkle;
using Tollgate.Ledger.Notes;
using Tollgate.Ledger.Storage;
using Tollgate.Ledger.Verification;
using Tollgate.Ledger.Writing;

// The audit ledger's figures (docs/BENCHMARKS.md): group-commit append throughput in memory and on
// Azurite, full verification against raw SHA-256 over the same bytes, and proof generation. Every
// ratio is taken within one run of this program. Azurite comes from TOLLGATE_BENCH_STORAGE
// (`scripts/bench.sh ledger` starts one).
var repeatOption = new Option<int>("--repeat") { Description = "Measured runs of each figure (after one warm-up run).", DefaultValueFactory = _ => 3 };
var entriesOption = new Option<int>("--entries") { Description = "Entries appended in memory and verified.", DefaultValueFactory = _ => 200_000 };
var azuriteEntriesOption = new Option<int>("--azurite-entries") { Description = "Entries appended on Azurite per run.", DefaultValueFactory = _ => 100_000 };
var producersOption = new Option<int>("--producers") { Description = "Concurrent producers, each awaiting every acknowledgement.", DefaultValueFactory = _ => 4096 };
var noIndexOption = new Option<bool>("--no-index") { Description = "Append on Azurite without the Tables lookup index (isolates the blob path)." };
foreach (var option in new[] { repeatOption, entriesOption, azuriteEntriesOption, producersOption })
    option.Validators.Add(result => { if (result.GetValueOrDefault<int>() < 1) result.AddError($"{option.Name} must be at least 1."); });
var root = new RootCommand("Measures the audit ledger: appends, verification and proofs; prints a Markdown table.")
{
    repeatOption, entriesOption, azuriteEntriesOption, producersOption, noIndexOption,
};
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0 || args.Contains("--help") || args.Contains("-h")) return await parsed.InvokeAsync();
var repeat = parsed.GetValue(repeatOption);
var entries = parsed.GetValue(entriesOption);
var azuriteEntries = parsed.GetValue(azuriteEntriesOption);
var producers = parsed.GetValue(producersOption);
var withIndex = !parsed.GetValue(noIndexOption);
var storage = Environment.GetEnvironmentVariable("TOLLGATE_BENCH_STORAGE");

Console.WriteLine($"# Ledger benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} logical processors, {RuntimeInformation.OSDescription.Trim()}, .NET {Environment.Version}");
Console.WriteLine();
Console.WriteLine($"Appends: {producers} concurrent producers, each awaiting every acknowledgement; Azurite {(withIndex ? "with" : "without")} the Tables lookup index.");
Console.WriteLine();
Console.WriteLine("| Measure | N | Runs | Median | Min | Max | Target |");
Console.WriteLine("|---|--:|--:|--:|--:|--:|---|");

var sample = MakeEntries(entries);
var exportFolder = Path.Combine(Path.GetTempPath(), "tollgate-ledger-bench-export");
Console.Error.WriteLine($"entries: {sample.Length:N0}, mean {sample.Average(e => e.Bytes.Length):0} bytes");

// 1. Appends in memory: producers as fast as they can; each append completes when checkpointed.
Row("append, in memory (entries/s)", entries,
    [.. (await Runs(repeat, () => AppendRates(new InMemoryLedgerStore(), new InMemoryLedgerIndex(), sample, producers))).Select(run => run.Rate)], "≥ 20,000");

// 2. Appends on Azurite: the same, on Blob storage + the Tables index (written behind; its catch-up is measured apart).
if (!string.IsNullOrWhiteSpace(storage))
{
    var azureSample = sample[..Math.Min(azuriteEntries, sample.Length)];
    var runs = await Runs(repeat, async () =>
    {
        var ledger = await AzureLedger.CreateAsync(storage, "bench" + Guid.NewGuid().ToString("N")[..8], CancellationToken.None);
        try
        {
            var rates = await AppendRates(ledger.Store, withIndex ? ledger.Index : null, azureSample, producers);
            // The verification figures below read an export of a ledger written this way: its checkpoint density is
            // what group commit on real storage produces.
            if (Directory.Exists(exportFolder)) Directory.Delete(exportFolder, recursive: true);
            await Tollgate.Ledger.Reading.LedgerExporter.ExportAsync(ledger.Store, null, exportFolder);
            return rates;
        }
        finally { await ledger.DeleteAsync(CancellationToken.None); }
    });
    Row("append, Azurite (entries/s, acknowledged = in segment + checkpoint signed)", azureSample.Length, [.. runs.Select(run => run.Rate)], "≥ 20,000");
    if (withIndex)
        Row("index catch-up, Azurite (entries/s until the Tables rows are behind the writer)", azureSample.Length, [.. runs.Select(run => run.IndexRate)], "–");
}
else Console.Error.WriteLine("TOLLGATE_BENCH_STORAGE not set: Azurite not measured");

// 3. Verification against raw SHA-256 over the same entry bytes: an export of the Azurite ledger (offline, as an
// auditor runs it), else a ledger written in memory (denser checkpoints: commits there cost nothing).
LedgerStore verifyStore;
LedgerEntry[] verified;
string verifierKey;
string ledgerSource;
if (Directory.Exists(exportFolder) && !string.IsNullOrWhiteSpace(storage))
{
    verifyStore = new DirectoryLedgerStore(exportFolder);
    verified = sample[..Math.Min(azuriteEntries, sample.Length)];
    verifierKey = System.Text.Encoding.UTF8.GetString((await verifyStore.ReadObjectAsync(LedgerLayout.VerifierKey, CancellationToken.None))!).Trim();
    ledgerSource = "export of the Azurite ledger";
}
else
{
    verifyStore = new InMemoryLedgerStore();
    var signer = new EcdsaNoteSigner("tollgate.bench/ledger", ECDsa.Create(ECCurve.NamedCurves.nistP256));
    await using (var writer = await LedgerWriter.OpenAsync(verifyStore, null, signer, new LedgerOptions("tollgate.bench/ledger")))
        await writer.AppendAllAsync(sample);
    verified = sample;
    verifierKey = signer.VerifierKey;
    ledgerSource = "in-memory ledger";
}
var verifier = EcdsaNoteVerifier.Parse(verifierKey);
var checkpointCount = (await verifyStore.ListObjectsAsync(LedgerLayout.CheckpointPrefix, CancellationToken.None)).Count;
var raw = await Runs(repeat, () => Task.FromResult(RawSha256Rate(verified)));
var rawParallel = await Runs(repeat, () => Task.FromResult(RawSha256ParallelRate(verified)));
var full = await Runs(repeat, () => VerifyRate(verifyStore, verifier, verified.Length, deep: false));
var deep = await Runs(repeat, () => VerifyRate(verifyStore, verifier, verified.Length, deep: true));
Row("raw SHA-256 of each entry's bytes, one core (entries/s)", verified.Length, raw, "reference");
Row($"raw SHA-256 of each entry's bytes, all {Environment.ProcessorCount} cores (entries/s)", verified.Length, rawParallel, "reference");
Row($"verify (entries/s; {ledgerSource}, {checkpointCount:N0} checkpoints: every leaf, the tree, every signature)", verified.Length, full, "≥ 50% of raw");
Row("verify --deep (entries/s; also every entry's canonical form, kind rules, unique keys)", verified.Length, deep, "–");
Console.WriteLine($"| verify / raw SHA-256 one core (ratio of medians) | | | {Median(full) / Median(raw):P0} | | | ≥ 50% |");
Console.WriteLine($"| verify / raw SHA-256 all cores (ratio of medians) | | | {Median(full) / Median(rawParallel):P0} | | | – |");

// 4. Proof generation on a 1M-leaf tree.
var tree = new MerkleTree();
Span<byte> leaf = stackalloc byte[32];
for (var i = 0; i < 1_000_000; i++) { BitConverter.TryWriteBytes(leaf, i); tree.AppendLeafHash(leaf); }
var random = new Random(7);
Row("inclusion proofs, 1M-leaf tree (proofs/s)", 200_000, await Runs(repeat, () => Task.FromResult(Rate(200_000, () => tree.InclusionProof(random.NextInt64(1_000_000), 1_000_000)))), "≥ 100,000");
Row("consistency proofs, 1M-leaf tree (proofs/s)", 200_000, await Runs(repeat, () => Task.FromResult(Rate(200_000, () =>
{
    var size1 = random.NextInt64(1, 1_000_000);
    tree.ConsistencyProof(size1, 1_000_000);
}))), "≥ 100,000");
return 0;

static async Task<(double Rate, double IndexRate)> AppendRates(LedgerStore store, LedgerIndexStore? index, LedgerEntry[] sample, int producers)
{
    var signer = new EcdsaNoteSigner("tollgate.bench/ledger", ECDsa.Create(ECCurve.NamedCurves.nistP256));
    await using var writer = await LedgerWriter.OpenAsync(store, index, signer, new LedgerOptions("tollgate.bench/ledger"));
    var clock = Stopwatch.StartNew();
    // Concurrent callers, each appending its share one at a time and waiting for each acknowledgement.
    await Task.WhenAll(Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
    {
        for (var i = p; i < sample.Length; i += producers) await writer.AppendAsync(sample[i]);
    })));
    var appended = clock.Elapsed;
    while (index is not null && writer.IndexLag > 0) await Task.Delay(20);
    var indexed = clock.Elapsed;
    if (writer.Latest.Size != sample.Length) throw new InvalidOperationException($"expected {sample.Length} entries, the ledger has {writer.Latest.Size}");
    return (sample.Length / appended.TotalSeconds, sample.Length / indexed.TotalSeconds);
}

static async Task<double> VerifyRate(LedgerStore store, EcdsaNoteVerifier verifier, int expected, bool deep)
{
    var clock = Stopwatch.StartNew();
    var report = await new LedgerVerifier(store, verifier) { Deep = deep }.VerifyAsync();
    if (!report.Ok || report.VerifiedSize != expected) throw new InvalidOperationException($"verification failed: {report.First}");
    return expected / clock.Elapsed.TotalSeconds;
}

static double RawSha256Rate(LedgerEntry[] sample)
{
    Span<byte> hash = stackalloc byte[32];
    var clock = Stopwatch.StartNew();
    foreach (var entry in sample) SHA256.HashData(entry.Bytes, hash);
    return sample.Length / clock.Elapsed.TotalSeconds;
}

static double RawSha256ParallelRate(LedgerEntry[] sample)
{
    var clock = Stopwatch.StartNew();
    Parallel.For(0, Environment.ProcessorCount, worker =>
    {
        Span<byte> hash = stackalloc byte[32];
        for (var i = worker; i < sample.Length; i += Environment.ProcessorCount) SHA256.HashData(sample[i].Bytes, hash);
    });
    return sample.Length / clock.Elapsed.TotalSeconds;
}

static double Rate(int n, Action action)
{
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < n; i++) action();
    return n / clock.Elapsed.TotalSeconds;
}

static async Task<List<T>> Runs<T>(int repeat, Func<Task<T>> run)
{
    await run(); // warm-up
    var results = new List<T>();
    for (var i = 0; i < repeat; i++) results.Add(await run());
    return results;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

void Row(string measure, int n, List<double> values, string target) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {measure} | {n:N0} | {values.Count} | {Median(values):N0} | {values.Min():N0} | {values.Max():N0} | {target} |"));

static LedgerEntry[] MakeEntries(int count)
{
    var start = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    return [.. Enumerable.Range(0, count).Select(i => LedgerEntry.Create(
        new LedgerEntryFields("order_path", $"bench:order:{i}:pre", start.AddMilliseconds(i), "router", $"intent-{i / 3}", "Paper", []),
        new JsonObject
        {
            ["phase"] = "PRE",
            ["intent_id"] = $"intent-{i / 3}",
            ["step"] = "risk_check",
            ["symbol"] = "BTCUSDT",
            ["qty"] = "0.0150",
            ["price"] = "91234.50",
            ["reason_codes"] = new JsonArray(),
        }))];
}
