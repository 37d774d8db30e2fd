using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;
using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Tollgate.Markets.AzureStorage;
using Tollgate.Markets.Events;
using Tollgate.Markets.Execution;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;
using Tollgate.Markets.Paper;
using Tollgate.Markets.Positions;
using Tollgate.Markets.Risk;

namespace Tollgate.Markets.Benchmarks;

/// <summary>
/// Order routing figures (docs/BENCHMARKS.md, issue 6), <c>./scripts/bench.sh orders</c>:
/// <list type="number">
/// <item>The routing decision in process: <see cref="OrderRouter.RouteAsync"/> over an <see cref="InMemoryExecutionStore"/>,
/// a journal and result sink that do nothing, a kill switch that is off, GREEN health, fixed books and a channel that
/// answers at once (Known, FILLED, one fill). Every call is timed on its own with Stopwatch.GetTimestamp, new intents
/// and then the same intents again (idempotency hits); PreTradeRisk.Check and the other public parts of the decision
/// are timed alone over the same intents. The clock is simulated and moves a fixed step before each intent, so the
/// throttle and duplicate windows hold what they would hold at that order rate, not at the benchmark's.</item>
/// <item>Paper end to end: the same router over <see cref="TableExecutionStore"/> on Azurite and the real
/// <see cref="PaperChannel"/> over fixed books, one routing loop per instrument (as the host's partitions), on the
/// system clock; intents/s, routing latency, and the Tables requests each intent cost.</item>
/// </list>
/// The Markdown report goes to stdout, progress to stderr. Exit code 0 when measured (a MISS is a result), 1 when a
/// run went wrong (an intent not FILLED, a record missing), 2 for a usage error.
/// </summary>
internal static class OrderBenchmark
{
    public const string StorageVariable = "TOLLGATE_BENCH_STORAGE";
    private const string Rev = "cfg-bench";
    private const double TargetP99Micros = 20;
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 0, 0, 0, TimeSpan.Zero);

    /// <summary>2 spot, 2 futures; a one-tick spread, 20 levels a side, deep enough that every order fills at the touch.</summary>
    private static readonly Routed[] Specs =
    [
        new(new Instrument(MarketKind.Spot, "BTCUSDT", 0.01m, 0.00001m, 5m), 43250.12m, 5m, 0.001m),
        new(new Instrument(MarketKind.Spot, "ETHUSDT", 0.01m, 0.0001m, 5m), 2281.47m, 50m, 0.01m),
        new(new Instrument(MarketKind.Futures, "BTCUSDT", 0.10m, 0.001m, 100m), 43262.30m, 5m, 0.003m),
        new(new Instrument(MarketKind.Futures, "ETHUSDT", 0.01m, 0.001m, 20m), 2282.15m, 50m, 0.01m),
    ];

    /// <summary>Distinct quantities per instrument: the same side and quantity comes back only every 2 × this many intents of the instrument, far outside the duplicate window.</summary>
    private const int QuantityCycle = 500;

    public static async Task<int> RunAsync(string[] args)
    {
        var roundsOption = new Option<int>("--rounds") { Description = "Measured rounds of each part (each on a fresh router and store).", DefaultValueFactory = _ => 5 };
        var intentsOption = new Option<int>("--intents") { Description = "New intents timed per in-process round (as many replays follow).", DefaultValueFactory = _ => 200_000 };
        var warmupOption = new Option<int>("--warmup") { Description = "In-process warm-up intents (twice, with a pause for tiered compilation; each round also warms its fresh router with a tenth).", DefaultValueFactory = _ => 20_000 };
        var stepOption = new Option<int>("--clock-step-us") { Description = "In process: how far the simulated clock moves before each intent (10,000 µs = 100 orders/s, the host's default global throttle).", DefaultValueFactory = _ => 10_000 };
        var paperOption = new Option<int>("--paper-intents") { Description = "Intents per Paper + Azurite round (a multiple of 8: an even number per instrument, so each ends flat).", DefaultValueFactory = _ => 3_000 };
        var partOption = new Option<string>("--part") { Description = "Which part to run.", DefaultValueFactory = _ => "all" };
        partOption.AcceptOnlyFromAmong("all", "decision", "paper");
        foreach (var option in new[] { roundsOption, intentsOption, warmupOption, stepOption, paperOption })
            option.Validators.Add(result => { if (result.GetValueOrDefault<int>() < 1) result.AddError($"{option.Name} must be at least 1."); });
        paperOption.Validators.Add(result => { if (result.GetValueOrDefault<int>() % 8 != 0) result.AddError("--paper-intents must be a multiple of 8."); });
        var root = new RootCommand("Measures order routing (issue 6): the in-process decision latency and Paper routing on Azurite; prints a Markdown report.")
        {
            roundsOption, intentsOption, warmupOption, stepOption, paperOption, partOption,
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 || args.Contains("--help") || args.Contains("-h"))
        {
            var code = await parsed.InvokeAsync();
            return parsed.Errors.Count > 0 ? 2 : code;
        }
        var rounds = parsed.GetValue(roundsOption);
        var part = parsed.GetValue(partOption)!;
        var connection = Environment.GetEnvironmentVariable(StorageVariable);
        if (part == "paper" && string.IsNullOrWhiteSpace(connection))
        {
            Console.Error.WriteLine($"--part paper needs the storage connection string in {StorageVariable} (scripts/bench.sh starts Azurite and sets it).");
            return 2;
        }

        try
        {
            DecisionReport? decision = part is "all" or "decision"
                ? await DecisionAsync(rounds, parsed.GetValue(intentsOption), parsed.GetValue(warmupOption), TimeSpan.FromTicks(parsed.GetValue(stepOption) * 10L))
                : null;
            PaperReport? paper = part is "all" or "paper" && !string.IsNullOrWhiteSpace(connection)
                ? await PaperAsync(connection, rounds, parsed.GetValue(paperOption))
                : null;
            Print(decision, paper, part == "all" && paper is null);
            return 0;
        }
        catch (BenchmarkFailure failure)
        {
            Console.Error.WriteLine($"FAILED: {failure.Message}");
            return 1;
        }
    }

    // ---------------------------------------------------------------- part 1: the decision in process

    private static async Task<DecisionReport> DecisionAsync(int rounds, int n, int warmup, TimeSpan step)
    {
        var ct = CancellationToken.None;
        // Process warm-up: two passes with a pause between, so tiered compilation (and PGO) settle before anything is timed.
        for (var w = 0; w < 2; w++)
        {
            var rig = new InProcessRig(step);
            var intents = Intents($"warm{w}", warmup);
            foreach (var intent in intents) { rig.Clock.Advance(step); await rig.Router.RouteAsync(intent, ct); }
            foreach (var intent in intents) await rig.Router.RouteAsync(intent, ct);
            RiskOnly(intents, step);
            Parts(intents, rig.Books);
            Thread.Sleep(500);
        }
        var timer = TimerFloor(n);

        var report = new DecisionReport(n, step, timer);
        for (var r = 0; r < rounds; r++)
        {
            var rig = new InProcessRig(step);
            foreach (var intent in Intents($"r{r}warm", Math.Max(8, warmup / 10))) { rig.Clock.Advance(step); await rig.Router.RouteAsync(intent, ct); }
            var intents = Intents($"r{r}", n);

            var routed = new long[n];
            var gcInside = new bool[n];
            var statuses = new int[16];
            var notSync = 0;
            Settle();
            var machine = Machine.Now();
            var gc = GcMark.Now();
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < intents.Length; i++)
            {
                rig.Clock.Advance(step);
                var collections = GC.CollectionCount(0);
                var started = Stopwatch.GetTimestamp();
                var task = rig.Router.RouteAsync(intents[i], ct);
                if (!task.IsCompleted) notSync++;
                var result = await task;
                routed[i] = Stopwatch.GetTimestamp() - started;
                gcInside[i] = GC.CollectionCount(0) != collections;
                statuses[(int)result.Status]++;
            }
            allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
            var routedGc = gc.Since();
            var share = Machine.Since(machine);
            if (statuses[(int)OrderStatus.Filled] != n)
                throw new BenchmarkFailure($"in-process round {r + 1}: {statuses[(int)OrderStatus.Filled]:N0} of {n:N0} intents FILLED ({Describe(statuses)})");

            var replayed = new long[n];
            var replayedAllocated = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < intents.Length; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var task = rig.Router.RouteAsync(intents[i], ct);
                if (!task.IsCompleted) notSync++;
                var result = await task;
                replayed[i] = Stopwatch.GetTimestamp() - started;
                if (!result.Replayed || result.Status != OrderStatus.Filled) throw new BenchmarkFailure($"in-process round {r + 1}: a replay of {intents[i].IntentId} was not answered from the record");
            }
            replayedAllocated = GC.GetAllocatedBytesForCurrentThread() - replayedAllocated;
            if (rig.Channel.Placed != n + Math.Max(8, warmup / 10)) throw new BenchmarkFailure($"in-process round {r + 1}: the channel saw {rig.Channel.Placed:N0} placements");

            Settle();
            var risk = RiskOnly(intents, step);
            var parts = Parts(intents, rig.Books);
            // Split before the percentiles sort the array in place: calls with and without a collection inside, and by instrument and side.
            var quiet = routed.Where((_, i) => !gcInside[i]).ToArray();
            var byClass = Enumerable.Range(0, 2 * Specs.Length).Select(c => routed.Where((_, i) => ClassOf(i) == c).ToArray()).ToArray();
            report.Add(new DecisionRound(routed, allocated, routedGc, replayed, replayedAllocated, risk, parts, notSync, quiet, byClass, share));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"in-process round {r + 1}: route p50 {Micros(Percentile(routed, 0.5)):0.00} µs, p99 {Micros(Percentile(routed, 0.99)):0.00} µs, {allocated / (double)n:N0} B/intent; " +
                $"replay p99 {Micros(Percentile(replayed, 0.99)):0.00} µs; risk p99 {Micros(Percentile(risk.Latency, 0.99)):0.00} µs; GC {routedGc}; {share}"));
        }
        report.Allocations = await AllocationProfileAsync(Math.Min(n, 200_000), step);
        return report;
    }

    /// <summary>Intent i's instrument (i mod 4) and side (buy for even k = i / 4): 2 × instrument + side.</summary>
    private static int ClassOf(int i) => i % Specs.Length * 2 + i / Specs.Length % 2;

    /// <summary>
    /// An untimed pass over a fresh router with the runtime's allocation sampling on (GCAllocationTick, one event about
    /// every 100 KB allocated, naming the type of the object that crossed the mark): which types the routing allocates.
    /// </summary>
    private static async Task<AllocationProfile> AllocationProfileAsync(int n, TimeSpan step)
    {
        var rig = new InProcessRig(step);
        var intents = Intents("alloc", n);
        Settle();
        using var sampler = new AllocationSampler();
        Thread.Sleep(500);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        foreach (var intent in intents) { rig.Clock.Advance(step); await rig.Router.RouteAsync(intent, CancellationToken.None); }
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Thread.Sleep(1_500); // the listener is fed on another thread
        sampler.Stop();
        return new AllocationProfile(n, allocated, sampler.Samples, sampler.ByType.OrderByDescending(t => t.Value).Select(t => (t.Key, t.Value)).ToList());
    }

    /// <summary>PreTradeRisk.Check alone, on a fresh risk with the same limits, clock steps and positions as the router's; Commit (untimed) after each pass.</summary>
    private static RiskRound RiskOnly(OrderIntent[] intents, TimeSpan step)
    {
        var risk = GenerousRisk();
        var clock = T0;
        var position = new decimal[Specs.Length];
        var latency = new long[intents.Length];
        var passed = 0;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < intents.Length; i++)
        {
            clock += step;
            var intent = intents[i];
            var s = i % Specs.Length;
            var spec = Specs[s];
            var margin = 0m;
            for (var f = 0; f < Specs.Length; f++)
                if (Specs[f].Instrument.Market == MarketKind.Futures) margin += position[f] * Specs[f].Price / Leverage;
            var context = new RiskContext(spec.Price, spec.Price + spec.Instrument.TickSize, position[s], position[s] != 0 ? 1 : 0, margin, HealthLevel.Green, clock);
            var started = Stopwatch.GetTimestamp();
            var verdict = risk.Check(intent, in context);
            latency[i] = Stopwatch.GetTimestamp() - started;
            if (!verdict.Passed) continue;
            passed++;
            risk.Commit(intent, clock);
            position[s] = intent.Side == OrderSide.Buy ? position[s] + verdict.Quantity : position[s] - verdict.Quantity;
        }
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        if (passed != intents.Length) throw new BenchmarkFailure($"risk alone passed {passed:N0} of {intents.Length:N0} intents");
        return new RiskRound(latency, allocated);
    }

    /// <summary>Other public steps of the decision, each timed alone over the same intents.</summary>
    private static PartsRound Parts(OrderIntent[] intents, FixedBookView books)
    {
        var universe = new InstrumentTable(Specs.Select(s => s.Instrument));
        var id = new long[intents.Length];
        var validation = new long[intents.Length];
        var top = new long[intents.Length];
        long idAllocated = 0, validationAllocated = 0, topAllocated = 0;
        var check = 0;
        for (var i = 0; i < intents.Length; i++)
        {
            var a = GC.GetAllocatedBytesForCurrentThread();
            var started = Stopwatch.GetTimestamp();
            var coid = ClientOrderId.For(intents[i].IntentId);
            id[i] = Stopwatch.GetTimestamp() - started;
            var b = GC.GetAllocatedBytesForCurrentThread();
            started = Stopwatch.GetTimestamp();
            var bookTop = books.Top(intents[i].Instrument, 3);
            top[i] = Stopwatch.GetTimestamp() - started;
            var c = GC.GetAllocatedBytesForCurrentThread();
            started = Stopwatch.GetTimestamp();
            var rejection = IntentValidation.Validate(intents[i], universe, bookTop?.Mid);
            validation[i] = Stopwatch.GetTimestamp() - started;
            var d = GC.GetAllocatedBytesForCurrentThread();
            idAllocated += b - a;
            topAllocated += c - b;
            validationAllocated += d - c;
            check += coid.Length + (int)rejection;
        }
        if (check != intents.Length * 35) throw new BenchmarkFailure("a client order id was not 35 characters or an intent was refused by validation");
        return new PartsRound(id, idAllocated, validation, validationAllocated, top, topAllocated);
    }

    private static double TimerFloor(int n)
    {
        var empty = new long[n];
        for (var i = 0; i < n; i++)
        {
            var started = Stopwatch.GetTimestamp();
            empty[i] = Stopwatch.GetTimestamp() - started;
        }
        return Micros(Percentile(empty, 0.5));
    }

    // ---------------------------------------------------------------- part 2: Paper on Azurite

    private static async Task<PaperReport> PaperAsync(string connection, int rounds, int n)
    {
        var tag = DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);
        var counter = new RequestCounter();
        var service = new TableServiceClient(connection, counter.AttachTo(new TableClientOptions()));
        var warm = Math.Max(8, n / 10 / 8 * 8);
        Console.Error.WriteLine($"paper warm-up: {warm:N0} intents");
        await PaperRoundAsync(service, counter, $"obw{tag}", warm, "warm");
        var report = new PaperReport(n);
        for (var r = 0; r < rounds; r++)
        {
            var round = await PaperRoundAsync(service, counter, $"ob{tag}r{r}", n, $"r{r}");
            report.Rounds.Add(round);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"paper round {r + 1}: {round.Rate:N0} intents/s, p50 {Millis(Percentile(round.Latency, 0.5)):0.00} ms, p99 {Millis(Percentile(round.Latency, 0.99)):0.00} ms, " +
                $"{round.Requests / (double)n:0.00} Tables requests/intent; {round.Share}"));
        }
        return report;
    }

    private static async Task<PaperRound> PaperRoundAsync(TableServiceClient service, RequestCounter counter, string hub, int n, string prefix)
    {
        var ct = CancellationToken.None;
        var time = TimeProvider.System;
        var store = new CountingStore(await TableExecutionStore.CreateAsync(service, hub, ct));
        var books = new FixedBookView(time.GetUtcNow());
        var channel = new PaperChannel(books, new PaperSettings(), time);
        var universe = new InstrumentTable(Specs.Select(s => s.Instrument));
        var router = new OrderRouter(universe, store, channel, StopOff.Instance, GenerousRisk(), books, GreenHealth.Instance, NewPositions(),
            NoJournal.Instance, NoResults.Instance, new ExecutionMetrics(), time, RouterOptions.For("PAPER"));
        var intents = Intents(prefix, n);
        var partitions = Enumerable.Range(0, Specs.Length).Select(s => intents.Where((_, i) => i % Specs.Length == s).ToArray()).ToArray();

        Settle();
        store.Reset();
        var machine = Machine.Now();
        var requestsBefore = counter.Count;
        var started = Stopwatch.GetTimestamp();
        var loops = partitions.Select(p => Task.Run(async () =>
        {
            var latency = new long[p.Length];
            var statuses = new int[16];
            for (var i = 0; i < p.Length; i++)
            {
                var t = Stopwatch.GetTimestamp();
                var result = await router.RouteAsync(p[i], ct);
                latency[i] = Stopwatch.GetTimestamp() - t;
                statuses[(int)result.Status]++;
            }
            return (latency, statuses);
        })).ToArray();
        var done = await Task.WhenAll(loops);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var share = Machine.Since(machine);
        var requests = counter.Count - requestsBefore;
        var counts = store.Snapshot();

        var statusTotals = new int[16];
        foreach (var (_, s) in done) for (var k = 0; k < s.Length; k++) statusTotals[k] += s[k];
        if (statusTotals[(int)OrderStatus.Filled] != n) throw new BenchmarkFailure($"paper {hub}: {statusTotals[(int)OrderStatus.Filled]:N0} of {n:N0} intents FILLED ({Describe(statusTotals)})");

        // Untimed: what the tables hold must be what was routed.
        var stored = 0;
        await foreach (var order in store.Inner.OrdersAsync(ct))
        {
            stored++;
            if (order.Status != OrderStatus.Filled || order.Events.Count != 3) throw new BenchmarkFailure($"paper {hub}: {order.Order.ClientOrderId} is stored {order.Status.Code()} with {order.Events.Count} events");
        }
        var flat = (await store.Inner.LatestPositionsAsync(ct)).Where(p => p.Quantity == 0).Count();
        if (stored != n || flat != Specs.Length) throw new BenchmarkFailure($"paper {hub}: {stored:N0} orders stored of {n:N0}, {flat} of {Specs.Length} positions flat at the end");
        // Azurite keeps every table in one database it saves whole: dropping the round's tables keeps the next round's Azurite the same size.
        foreach (var table in new[] { "Orders", "Fills", "Positions" }) await service.DeleteTableAsync(hub + table, ct);
        // Each loop's first and last tenth, in routing order: how the latency moves as the tables fill during the round.
        var tenth = Math.Max(1, n / Specs.Length / 10);
        long[] first = [.. done.SelectMany(d => d.latency.Take(tenth))], last = [.. done.SelectMany(d => d.latency.TakeLast(tenth))];
        return new PaperRound([.. done.SelectMany(d => d.latency)], elapsed.TotalSeconds, counts, requests, first, last, share);
    }

    // ---------------------------------------------------------------- the report

    private static void Print(DecisionReport? decision, PaperReport? paper, bool paperSkipped)
    {
        Console.WriteLine($"# Order routing benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} logical processors ({CpuModel()}), {RuntimeInformation.OSDescription.Trim()}, .NET {Environment.Version}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC{(GCSettings.LatencyMode == GCLatencyMode.Interactive ? " (concurrent)" : "")}");
        Console.WriteLine();
        Console.WriteLine($"Instruments: {string.Join(", ", Specs.Select(s => s.Instrument.Key))}; market orders, alternately buy and sell per instrument (each instrument flat after every second order), quantities cycling over {QuantityCycle} steps; fixed books of 20 levels a side, one-tick spread.");
        if (decision is not null)
        {
            var d = decision;
            var rounds = d.Rounds.Count;
            var routed = Pool(d.Rounds.Select(r => r.Routed));
            var replayed = Pool(d.Rounds.Select(r => r.Replayed));
            var risk = Pool(d.Rounds.Select(r => r.Risk.Latency));
            var p99 = Micros(Percentile(routed, 0.99));
            Console.WriteLine();
            Console.WriteLine("## 1. Routing decision, in process");
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"`OrderRouter.RouteAsync` on one thread over `InMemoryExecutionStore`, a no-op journal and result sink, a kill switch that is off, GREEN health, fixed books (copied per call, as the host's view does) and an in-process channel answering at once (Known, FILLED, one fill). " +
                $"Generous limits (throttles 1,000,000/s, never refusing), duplicate window 1 s (the host's default). Simulated clock: +{d.Step.TotalMilliseconds:0.###} ms before each intent ({1 / d.Step.TotalSeconds:N0} orders/s). " +
                $"Process warm-up 2 × the warm-up set with a pause; then {rounds} round(s), each on a fresh router, store and risk warmed with a tenth of it, timing {d.N:N0} new intents (unique ids) then the same {d.N:N0} again (idempotency hits). " +
                $"Each call timed alone (`Stopwatch.GetTimestamp`, floor {d.TimerFloorMicros:0.000} µs a reading, not subtracted); percentiles over all {d.N * rounds:N0} calls of the rounds; per-round p99 range in the last column. " +
                $"Every new intent FILLED; {d.Rounds.Sum(r => r.NotSynchronous)} call(s) did not complete synchronously, so the allocation counter of the thread saw all of it."));
            Console.WriteLine();
            Console.WriteLine("| Measure | Calls | p50 µs | p90 µs | p99 µs | p99.9 µs | max µs | p99 per round µs | Target | Result |");
            Console.WriteLine("|---|--:|--:|--:|--:|--:|--:|--:|---|---|");
            LatencyRow("RouteAsync, new intent (idempotency miss → validation → kill switch → risk → records → channel → fill, position)", routed, d.Rounds.Select(r => r.Routed), $"p99 ≤ {TargetP99Micros:0} µs",
                p99 <= TargetP99Micros ? $"PASS ({(TargetP99Micros - p99) / TargetP99Micros * 100:0}% under)" : $"MISS (+{(p99 - TargetP99Micros) / TargetP99Micros * 100:0}%, {p99 - TargetP99Micros:0.0} µs over)");
            LatencyRow("RouteAsync, new intent, only the calls with no garbage collection inside", Pool(d.Rounds.Select(r => r.Quiet)), d.Rounds.Select(r => r.Quiet), "–",
                $"{d.N * rounds - d.Rounds.Sum(r => r.Quiet.Length):N0} call(s) had one");
            LatencyRow("RouteAsync, replayed intent (idempotency hit, answered from the router's record)", replayed, d.Rounds.Select(r => r.Replayed), "–", "");
            LatencyRow("PreTradeRisk.Check alone (same intents, limits, clock and positions)", risk, d.Rounds.Select(r => r.Risk.Latency), "–", "");
            LatencyRow("ClientOrderId.For alone (SHA-256 of the intent id)", Pool(d.Rounds.Select(r => r.Parts.Id)), d.Rounds.Select(r => r.Parts.Id), "–", "");
            LatencyRow("IBookView.Top(instrument, 3) alone (the fixed view's copy of three levels a side)", Pool(d.Rounds.Select(r => r.Parts.Top)), d.Rounds.Select(r => r.Parts.Top), "–", "");
            LatencyRow("IntentValidation.Validate alone", Pool(d.Rounds.Select(r => r.Parts.Validation)), d.Rounds.Select(r => r.Parts.Validation), "–", "");
            Console.WriteLine();
            Console.WriteLine("| Round | p50 µs | p99 µs | p99.9 µs | B/intent | GCs (0/1/2) | GC pause ms | this process, cores | rest of the machine, cores |");
            Console.WriteLine("|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
            for (var r = 0; r < rounds; r++)
            {
                var x = d.Rounds[r];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {r + 1} | {Micros(Percentile(x.Routed, 0.5)):0.00} | {Micros(Percentile(x.Routed, 0.99)):0.00} | {Micros(Percentile(x.Routed, 0.999)):0.00} | {x.Allocated / (double)d.N:N0} | {x.Gc.Gen0}/{x.Gc.Gen1}/{x.Gc.Gen2} | {x.Gc.Pause.TotalMilliseconds:N0} | {x.Share.Own:0.00} | {x.Share.Others + x.Share.Azurite:0.00} |"));
            }
            Console.WriteLine();
            var calls = (double)d.N * rounds;
            Console.WriteLine("| Allocation and GC (information) | Value |");
            Console.WriteLine("|---|--:|");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| bytes allocated per routed new intent (`GC.GetAllocatedBytesForCurrentThread`, median of rounds) | {Median(d.Rounds.Select(r => r.Allocated / (double)d.N)):N0} |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| bytes allocated per replayed intent | {Median(d.Rounds.Select(r => r.ReplayedAllocated / (double)d.N)):N0} |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| bytes allocated per PreTradeRisk.Check (passing) | {Median(d.Rounds.Select(r => r.Risk.Allocated / (double)d.N)):N1} |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| bytes allocated per ClientOrderId.For / Top(…, 3) / Validate | {Median(d.Rounds.Select(r => r.Parts.IdAllocated / (double)d.N)):N0} / {Median(d.Rounds.Select(r => r.Parts.TopAllocated / (double)d.N)):N0} / {Median(d.Rounds.Select(r => r.Parts.ValidationAllocated / (double)d.N)):N0} |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| GCs while routing the new intents, all rounds (gen0 / gen1 / gen2) | {d.Rounds.Sum(r => r.Gc.Gen0)} / {d.Rounds.Sum(r => r.Gc.Gen1)} / {d.Rounds.Sum(r => r.Gc.Gen2)} |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| GC pause while routing the new intents, all rounds (ms; µs per intent) | {d.Rounds.Sum(r => r.Gc.Pause.TotalMilliseconds):N1}; {d.Rounds.Sum(r => r.Gc.Pause.TotalMilliseconds) * 1000 / calls:0.00} |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| risk share of the routed p50 (risk p50 / route p50) | {Percentile(risk, 0.5) * 100.0 / Percentile(routed, 0.5):0.0}% |"));
            Console.WriteLine();
            Console.WriteLine("| RouteAsync, new intent, by instrument and side | Calls | p50 µs | p90 µs | p99 µs |");
            Console.WriteLine("|---|--:|--:|--:|--:|");
            for (var c = 0; c < 2 * Specs.Length; c++)
            {
                var ofClass = Pool(d.Rounds.Select(r => r.ByClass[c]));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {Specs[c / 2].Instrument.Key} {(c % 2 == 0 ? "buy (opens from flat)" : "sell (back to flat)")} | {ofClass.Length:N0} | {Micros(Percentile(ofClass, 0.5)):0.00} | {Micros(Percentile(ofClass, 0.9)):0.00} | {Micros(Percentile(ofClass, 0.99)):0.00} |"));
            }
            if (d.Allocations is { } a)
            {
                var sampled = a.Types.Sum(t => t.Bytes);
                Console.WriteLine();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"What a routed intent allocates: an untimed pass of {a.N:N0} new intents on a fresh router ({a.Allocated / (double)a.N:N0} B each) with the runtime's allocation sampling on ({a.Samples:N0} GCAllocationTick samples, one per ~100 KB, attributed to the type of the object that crossed the mark; B/intent estimated from the sample shares). Top types:"));
                Console.WriteLine();
                Console.WriteLine("| Type | Share of samples | ≈ B/intent |");
                Console.WriteLine("|---|--:|--:|");
                foreach (var (type, bytes) in a.Types.Take(20))
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| `{type}` | {bytes * 100.0 / sampled:0.0}% | {bytes / (double)sampled * a.Allocated / a.N:N0} |"));
                var rest = a.Types.Skip(20).Sum(t => t.Bytes);
                if (rest > 0) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {a.Types.Count - 20} other types | {rest * 100.0 / sampled:0.0}% | {rest / (double)sampled * a.Allocated / a.N:N0} |"));
            }
        }
        if (paper is not null)
        {
            var p = paper;
            var latency = Pool(p.Rounds.Select(r => r.Latency));
            var n = (double)p.N;
            Console.WriteLine();
            Console.WriteLine("## 2. Paper routing end to end, Azure Tables on Azurite");
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"The same router with `TableExecutionStore` on Azurite (loopback, started by scripts/bench.sh, data under .data/) and the real `PaperChannel` (default settings: fees, 1 bp slippage, half of each level) over the fixed books; system clock; no-op journal and sink. " +
                $"One warm-up round of a tenth, then {p.Rounds.Count} round(s) of {p.N:N0} intents, each on fresh tables (dropped after the round's checks), a fresh channel and router, with one routing loop per instrument ({Specs.Length} concurrent, each awaiting every intent, as the host's partitions). " +
                $"Every intent FILLED; after each round the tables held {p.N:N0} FILLED orders with 3 events each and every position flat. Tables requests counted by the store wrapper per call and by an HTTP pipeline policy (retries included) over the timed interval."));
            Console.WriteLine();
            Console.WriteLine("| Round | intents/s | p50 ms | p99 ms | Azurite, cores | this process, cores | other processes, cores |");
            Console.WriteLine("|--:|--:|--:|--:|--:|--:|--:|");
            for (var r = 0; r < p.Rounds.Count; r++)
            {
                var x = p.Rounds[r];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {r + 1} | {x.Rate:N0} | {Millis(Percentile(x.Latency, 0.5)):0.00} | {Millis(Percentile(x.Latency, 0.99)):0.00} | {(x.Share.AzuriteFound ? x.Share.Azurite.ToString("0.00", CultureInfo.InvariantCulture) : "?")} | {x.Share.Own:0.00} | {x.Share.Others:0.00} |"));
            }
            Console.WriteLine();
            Console.WriteLine("| Measure | Intents/round | Runs | Median | Min | Max |");
            Console.WriteLine("|---|--:|--:|--:|--:|--:|");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| throughput (intents/s, {Specs.Length} loops) | {p.N:N0} | {p.Rounds.Count} | {Median(p.Rounds.Select(r => r.Rate)):N0} | {p.Rounds.Min(r => r.Rate):N0} | {p.Rounds.Max(r => r.Rate):N0} |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| routing latency p50 (ms; pooled over rounds in Median, per round in Min/Max) | {p.N:N0} | {p.Rounds.Count} | {Millis(Percentile(latency, 0.5)):0.00} | {p.Rounds.Min(r => Millis(Percentile(r.Latency, 0.5))):0.00} | {p.Rounds.Max(r => Millis(Percentile(r.Latency, 0.5))):0.00} |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| routing latency p99 (ms; same) | {p.N:N0} | {p.Rounds.Count} | {Millis(Percentile(latency, 0.99)):0.00} | {p.Rounds.Min(r => Millis(Percentile(r.Latency, 0.99))):0.00} | {p.Rounds.Max(r => Millis(Percentile(r.Latency, 0.99))):0.00} |"));
            var firstTenth = Pool(p.Rounds.Select(r => r.FirstTenth));
            var lastTenth = Pool(p.Rounds.Select(r => r.LastTenth));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| routing latency p50, each loop's first tenth of intents → last tenth (ms, pooled) | {p.N:N0} | {p.Rounds.Count} | {Millis(Percentile(firstTenth, 0.5)):0.00} → {Millis(Percentile(lastTenth, 0.5)):0.00} | | |"));
            Console.WriteLine();
            Console.WriteLine("| Azure Tables per intent (median of rounds) | Requests | Entities |");
            Console.WriteLine("|---|--:|--:|");
            string PerIntent(Func<StoreCounts, long> f) => Median(p.Rounds.Select(r => f(r.Counts) / n)).ToString("0.00", CultureInfo.InvariantCulture);
            Console.WriteLine($"| order + event 0 (one entity-group transaction) | {PerIntent(c => c.Orders)} | {PerIntent(c => 2 * c.Orders)} |");
            Console.WriteLine($"| events appended (SUBMITTED, FILLED, …) | {PerIntent(c => c.Events)} | {PerIntent(c => c.Events)} |");
            Console.WriteLine($"| fills | {PerIntent(c => c.Fills)} | {PerIntent(c => c.Fills)} |");
            Console.WriteLine($"| position snapshots | {PerIntent(c => c.Positions)} | {PerIntent(c => c.Positions)} |");
            Console.WriteLine($"| **writes** | **{PerIntent(c => c.Writes)}** | **{PerIntent(c => 2 * c.Orders + c.Events + c.Fills + c.Positions)}** |");
            Console.WriteLine($"| reads: GetOrderAsync (idempotency look-ups that find nothing) | {PerIntent(c => c.Reads)} | – |");
            Console.WriteLine($"| all HTTP requests to the Table service (pipeline policy) | {Median(p.Rounds.Select(r => r.Requests / n)).ToString("0.00", CultureInfo.InvariantCulture)} | – |");
        }
        else if (paperSkipped)
        {
            Console.WriteLine();
            Console.WriteLine($"Part 2 (Paper on Azurite) was not measured: {StorageVariable} is not set (`./scripts/bench.sh orders` starts Azurite and sets it).");
        }
    }

    private static void LatencyRow(string measure, long[] pooled, IEnumerable<long[]> rounds, string target, string result)
    {
        var p99s = rounds.Select(r => Micros(Percentile(r, 0.99))).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {measure} | {pooled.Length:N0} | {Micros(Percentile(pooled, 0.5)):0.00} | {Micros(Percentile(pooled, 0.9)):0.00} | {Micros(Percentile(pooled, 0.99)):0.00} | {Micros(Percentile(pooled, 0.999)):0.00} | {Micros(pooled[^1]):N0} | {p99s.Min():0.00}–{p99s.Max():0.00} | {target} | {result} |"));
    }

    // ---------------------------------------------------------------- set-up

    private const decimal Leverage = 5m;

    private static PreTradeRisk GenerousRisk()
    {
        var limits = new RiskLimits(MaxOrderQuantity: 1_000m, MaxOrderNotional: 1_000_000_000m, CollarBps: 50m, MaxOrdersPerSecond: 1_000_000,
            MaxPositionQuantity: 1_000m, MaxConcurrentPositions: 1, Leverage: Leverage, DuplicateWindow: TimeSpan.FromSeconds(1));
        limits.Validate();
        return new PreTradeRisk(Specs.ToDictionary(s => s.Instrument, _ => limits, (IEqualityComparer<Instrument>)ReferenceEqualityComparer.Instance),
            new GlobalRiskLimits(1_000_000, 1_000_000_000m));
    }

    private static PositionBook NewPositions() =>
        new(0.02m, 0.04m, Specs.ToDictionary(s => s.Instrument, _ => Leverage, (IEqualityComparer<Instrument>)ReferenceEqualityComparer.Instance));

    /// <summary>Round-robin over the instruments; per instrument buy then sell of the same quantity, the quantity cycling.</summary>
    private static OrderIntent[] Intents(string prefix, int count)
    {
        var intents = new OrderIntent[count];
        for (var i = 0; i < count; i++)
        {
            var spec = Specs[i % Specs.Length];
            var k = i / Specs.Length;
            var quantity = spec.BaseQuantity + k / 2 % QuantityCycle * spec.Instrument.StepSize;
            intents[i] = new OrderIntent($"bench:{prefix}:{spec.Instrument.Key}:{k}", spec.Instrument, k % 2 == 0 ? OrderSide.Buy : OrderSide.Sell, OrderType.Market,
                quantity, null, null, null, Rev, T0);
        }
        return intents;
    }

    private sealed class InProcessRig
    {
        public InProcessRig(TimeSpan step)
        {
            Clock = new SimulatedClock(T0);
            Books = new FixedBookView(T0);
            Channel = new InstantChannel(Books, Clock);
            var universe = new InstrumentTable(Specs.Select(s => s.Instrument));
            Router = new OrderRouter(universe, new InMemoryExecutionStore(), Channel, StopOff.Instance, GenerousRisk(), Books, GreenHealth.Instance, NewPositions(),
                NoJournal.Instance, NoResults.Instance, new ExecutionMetrics(), Clock, RouterOptions.For("PAPER"));
        }

        public SimulatedClock Clock { get; }
        public FixedBookView Books { get; }
        public InstantChannel Channel { get; }
        public OrderRouter Router { get; }
    }

    // ---------------------------------------------------------------- statistics

    private static long Percentile(long[] sorted, double q)
    {
        EnsureSorted(sorted);
        return sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    private static readonly ConditionalWeakTable<long[], object> Sorted = [];

    private static void EnsureSorted(long[] values)
    {
        if (Sorted.TryGetValue(values, out _)) return;
        Array.Sort(values);
        Sorted.Add(values, values);
    }

    private static long[] Pool(IEnumerable<long[]> rounds)
    {
        var all = rounds.SelectMany(r => r).ToArray();
        EnsureSorted(all);
        return all;
    }

    private static double Micros(long ticks) => ticks * 1e6 / Stopwatch.Frequency;
    private static double Millis(long ticks) => ticks * 1e3 / Stopwatch.Frequency;

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Describe(int[] statuses) =>
        string.Join(", ", statuses.Select((count, s) => (count, s)).Where(x => x.count > 0).Select(x => $"{((OrderStatus)x.s).Code()} {x.count:N0}"));

    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (IOException) { return RuntimeInformation.ProcessArchitecture.ToString(); }
    }

    // ---------------------------------------------------------------- records

    private sealed record Routed(Instrument Instrument, decimal Price, decimal LevelQuantity, decimal BaseQuantity);

    private readonly record struct GcMark(int Gen0, int Gen1, int Gen2, TimeSpan Pause)
    {
        public static GcMark Now() => new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
        public GcMark Since() { var now = Now(); return new(now.Gen0 - Gen0, now.Gen1 - Gen1, now.Gen2 - Gen2, now.Pause - Pause); }
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Gen0}/{Gen1}/{Gen2}, {Pause.TotalMilliseconds:0.0} ms paused");
    }

    private sealed record RiskRound(long[] Latency, long Allocated);
    private sealed record PartsRound(long[] Id, long IdAllocated, long[] Validation, long ValidationAllocated, long[] Top, long TopAllocated);
    private sealed record DecisionRound(long[] Routed, long Allocated, GcMark Gc, long[] Replayed, long ReplayedAllocated, RiskRound Risk, PartsRound Parts, int NotSynchronous,
        long[] Quiet, long[][] ByClass, MachineShare Share);

    private sealed record AllocationProfile(int N, long Allocated, long Samples, List<(string Type, long Bytes)> Types);

    private sealed class DecisionReport(int n, TimeSpan step, double timerFloorMicros)
    {
        public int N { get; } = n;
        public TimeSpan Step { get; } = step;
        public double TimerFloorMicros { get; } = timerFloorMicros;
        public List<DecisionRound> Rounds { get; } = [];
        public AllocationProfile? Allocations { get; set; }
        public void Add(DecisionRound round) => Rounds.Add(round);
    }

    private sealed record PaperRound(long[] Latency, double Seconds, StoreCounts Counts, long Requests, long[] FirstTenth, long[] LastTenth, MachineShare Share)
    {
        public double Rate => Latency.Length / Seconds;
    }

    private sealed class PaperReport(int n)
    {
        public int N { get; } = n;
        public List<PaperRound> Rounds { get; } = [];
    }

    private sealed class BenchmarkFailure(string message) : Exception(message);

    /// <summary>Average cores busy over a timed interval: this process, the run's Azurite, and the rest of the (shared) machine.</summary>
    private readonly record struct MachineShare(double Own, double Azurite, double Others, bool AzuriteFound)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"cores busy: this process {Own:0.00}, Azurite {(AzuriteFound ? Azurite.ToString("0.00", CultureInfo.InvariantCulture) : "?")}, others {Others:0.00}");
    }

    /// <summary>
    /// Reads /proc: all busy jiffies of the machine, this process's CPU time and that of the Azurite scripts/bench.sh started
    /// (the node process whose --location is .data/azurite-PID for an ancestor PID of this process). Linux only; elsewhere zeros.
    /// </summary>
    private static class Machine
    {
        private const double Hz = 100; // USER_HZ
        private static readonly int? Azurite = FindAzurite();

        public readonly record struct Mark(long Busy, TimeSpan Own, long Azurite, long Stamp);

        public static Mark Now()
        {
            using var self = Process.GetCurrentProcess();
            return new(BusyJiffies(), self.TotalProcessorTime, Azurite is { } a ? ProcessJiffies(a) : 0, Stopwatch.GetTimestamp());
        }

        public static MachineShare Since(Mark mark)
        {
            var now = Now();
            var wall = Stopwatch.GetElapsedTime(mark.Stamp, now.Stamp).TotalSeconds;
            var own = (now.Own - mark.Own).TotalSeconds;
            var azurite = (now.Azurite - mark.Azurite) / Hz;
            var busy = (now.Busy - mark.Busy) / Hz;
            return new MachineShare(own / wall, azurite / wall, Math.Max(0, busy - own - azurite) / wall, Azurite is not null);
        }

        private static long BusyJiffies()
        {
            try
            {
                var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse).ToArray();
                return cpu.Sum() - cpu[3] - cpu[4]; // less idle and iowait
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { return 0; }
        }

        private static long ProcessJiffies(int pid)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture); // utime, stime
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { return 0; }
        }

        private static int? FindAzurite()
        {
            try
            {
                var ancestors = new HashSet<int>();
                for (var pid = Environment.ProcessId; pid > 1 && ancestors.Add(pid);)
                {
                    var stat = File.ReadAllText($"/proc/{pid}/stat");
                    pid = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                }
                foreach (var dir in Directory.EnumerateDirectories("/proc"))
                {
                    if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
                    string command;
                    try { command = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' '); }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
                    if (!command.Contains("azurite", StringComparison.Ordinal)) continue;
                    var at = command.IndexOf(".data/azurite-", StringComparison.Ordinal);
                    if (at < 0) continue;
                    var digits = new string([.. command[(at + ".data/azurite-".Length)..].TakeWhile(char.IsAsciiDigit)]);
                    if (int.TryParse(digits, out var owner) && ancestors.Contains(owner)) return pid;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { }
            return null;
        }
    }

    // ---------------------------------------------------------------- ports

    private sealed class SimulatedClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset now = start;
        public void Advance(TimeSpan by) => now += by;
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>Fixed books; every call copies the levels asked for into new arrays, as the host's IngestBookView does.</summary>
    private sealed class FixedBookView : IBookView
    {
        private readonly Dictionary<Instrument, (PriceLevel[] Bids, PriceLevel[] Asks)> levels = new(ReferenceEqualityComparer.Instance);
        private readonly DateTimeOffset at;

        public FixedBookView(DateTimeOffset at)
        {
            this.at = at;
            foreach (var s in Specs)
            {
                var tick = s.Instrument.TickSize;
                levels[s.Instrument] = ([.. Enumerable.Range(0, 20).Select(i => new PriceLevel(s.Price - i * tick, s.LevelQuantity))],
                    [.. Enumerable.Range(0, 20).Select(i => new PriceLevel(s.Price + (i + 1) * tick, s.LevelQuantity))]);
            }
        }

        public BookTop? Top(Instrument instrument, int depth)
        {
            if (!levels.TryGetValue(instrument, out var book)) return null;
            return new BookTop(instrument, 1, at, book.Bids.AsSpan(0, Math.Min(depth, book.Bids.Length)).ToArray(), book.Asks.AsSpan(0, Math.Min(depth, book.Asks.Length)).ToArray());
        }
    }

    /// <summary>Answers every placement at once: FILLED at the touch in one fill, no fee.</summary>
    private sealed class InstantChannel(FixedBookView books, TimeProvider time) : IOrderChannel
    {
        private long trades;
        public long Placed => Interlocked.Read(ref trades);
        public string Name => "instant";

        public Task<ChannelResult> PlaceAsync(OrderRequest request, CancellationToken cancellationToken)
        {
            var top = books.Top(request.Instrument, 1)!;
            var price = request.Side == OrderSide.Buy ? top.Asks[0].Price : top.Bids[0].Price;
            var number = Interlocked.Increment(ref trades);
            var now = time.GetUtcNow();
            var fill = new ChannelFill(number.ToString(CultureInfo.InvariantCulture), request.Quantity, price, 0m, "USDT", false, now);
            return Task.FromResult(ChannelResult.Known(new ChannelOrder(request.ClientOrderId, fill.TradeId, request.Instrument, request.Side, request.Type,
                OrderStatus.Filled, request.Quantity, request.LimitPrice, request.Quantity, request.Quantity * price, [fill], now)));
        }

        public Task<ChannelOrder?> QueryAsync(Instrument instrument, string clientOrderId, CancellationToken cancellationToken) => Task.FromResult<ChannelOrder?>(null);
        public Task<ChannelResult> CancelAsync(Instrument instrument, string clientOrderId, CancellationToken cancellationToken) =>
            Task.FromResult(ChannelResult.Rejected(ChannelReasons.Rejected, "nothing rests"));
        public Task<IReadOnlyList<ChannelOrder>> OpenOrdersAsync(Instrument instrument, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ChannelOrder>>([]);
        public Task<IReadOnlyList<ChannelFill>> FillsAsync(Instrument instrument, DateTimeOffset since, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ChannelFill>>([]);
        public Task<IReadOnlyList<ChannelHolding>> HoldingsAsync(MarketKind market, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ChannelHolding>>([]);
    }

    private sealed class StopOff : IStopSignal
    {
        public static readonly StopOff Instance = new();
        private volatile bool engaged;
        public bool IsEngaged => engaged;
    }

    private sealed class GreenHealth : IHealthView
    {
        public static readonly GreenHealth Instance = new();
        public HealthLevel HealthOf(Instrument instrument) => HealthLevel.Green;
    }

    private sealed class NoJournal : IExecutionJournal
    {
        public static readonly NoJournal Instance = new();
        public Task RecordAsync(ExecutionLog log, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class NoResults : IOrderResultSink
    {
        public static readonly NoResults Instance = new();
        public Task PublishAsync(RouteResult result, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    internal readonly record struct StoreCounts(long Orders, long Events, long Fills, long Positions, long Reads, long Other)
    {
        public long Writes => Orders + Events + Fills + Positions;
    }

    /// <summary>Counts the store's calls: each is one Tables request (an order with its event 0 is one entity-group transaction).</summary>
    private sealed class CountingStore(IExecutionStore inner) : IExecutionStore
    {
        private long orders, events, fills, positions, reads, other;

        public IExecutionStore Inner => inner;

        public void Reset() { orders = events = fills = positions = reads = other = 0; Interlocked.MemoryBarrier(); }

        public StoreCounts Snapshot() => new(Interlocked.Read(ref orders), Interlocked.Read(ref events), Interlocked.Read(ref fills),
            Interlocked.Read(ref positions), Interlocked.Read(ref reads), Interlocked.Read(ref other));

        public Task<bool> TryAddOrderAsync(OrderRecord order, OrderEventRecord initialized, CancellationToken cancellationToken)
        { Interlocked.Increment(ref orders); return inner.TryAddOrderAsync(order, initialized, cancellationToken); }

        public Task<bool> TryAppendEventAsync(OrderEventRecord e, CancellationToken cancellationToken)
        { Interlocked.Increment(ref events); return inner.TryAppendEventAsync(e, cancellationToken); }

        public Task<StoredOrder?> GetOrderAsync(string clientOrderId, CancellationToken cancellationToken)
        { Interlocked.Increment(ref reads); return inner.GetOrderAsync(clientOrderId, cancellationToken); }

        public Task<bool> TryAddFillAsync(FillRecord fill, CancellationToken cancellationToken)
        { Interlocked.Increment(ref fills); return inner.TryAddFillAsync(fill, cancellationToken); }

        public Task<IReadOnlyList<FillRecord>> FillsAsync(string clientOrderId, CancellationToken cancellationToken)
        { Interlocked.Increment(ref other); return inner.FillsAsync(clientOrderId, cancellationToken); }

        public Task<IReadOnlyList<FillRecord>> FillsSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
        { Interlocked.Increment(ref other); return inner.FillsSinceAsync(since, cancellationToken); }

        public Task<bool> TryAddPositionAsync(PositionSnapshot snapshot, CancellationToken cancellationToken)
        { Interlocked.Increment(ref positions); return inner.TryAddPositionAsync(snapshot, cancellationToken); }

        public Task<IReadOnlyList<PositionSnapshot>> LatestPositionsAsync(CancellationToken cancellationToken)
        { Interlocked.Increment(ref other); return inner.LatestPositionsAsync(cancellationToken); }

        public IAsyncEnumerable<StoredOrder> OrdersAsync(CancellationToken cancellationToken)
        { Interlocked.Increment(ref other); return inner.OrdersAsync(cancellationToken); }
    }

    /// <summary>The runtime's GCAllocationTick events (GC keyword, verbose), summed by type name.</summary>
    private sealed class AllocationSampler : EventListener
    {
        private readonly ConcurrentDictionary<string, long> byType = new(StringComparer.Ordinal);
        private long samples;
        private volatile bool stopped;

        public IReadOnlyDictionary<string, long> ByType => byType;
        public long Samples => Interlocked.Read(ref samples);
        public void Stop() => stopped = true;

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (stopped || e.EventName is null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.PayloadNames is not { } names || e.Payload is not { } payload) return;
            var type = names.IndexOf("TypeName") is >= 0 and var t ? payload[t] as string ?? "?" : "?";
            long amount = names.IndexOf("AllocationAmount64") is >= 0 and var a64 ? (long)Convert.ToUInt64(payload[a64], CultureInfo.InvariantCulture)
                : names.IndexOf("AllocationAmount") is >= 0 and var a ? Convert.ToInt64(payload[a], CultureInfo.InvariantCulture) : 0;
            byType.AddOrUpdate(type, amount, (_, sum) => sum + amount);
            Interlocked.Increment(ref samples);
        }
    }

    /// <summary>Counts the HTTP requests the Tables client sends, retries included (an entity-group transaction is one).</summary>
    private sealed class RequestCounter : HttpPipelineSynchronousPolicy
    {
        private long count;
        public long Count => Interlocked.Read(ref count);

        public T AttachTo<T>(T options) where T : ClientOptions
        {
            options.AddPolicy(this, HttpPipelinePosition.PerRetry);
            return options;
        }

        public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref count);
    }
}
