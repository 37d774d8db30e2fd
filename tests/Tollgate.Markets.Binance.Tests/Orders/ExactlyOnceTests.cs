using Xunit.Abstractions;
using Tollgate.Markets.Binance.Orders;
using Tollgate.Markets.Events;
using Tollgate.Markets.Execution;
using Tollgate.Markets.Instruments;
using Tollgate.Markets.Orders;
using Tollgate.Markets.Positions;
using Tollgate.Markets.Risk;

namespace Tollgate.Markets.Binance.Tests.Orders;

/// <summary>
/// Issue 6's exactly-once test: the order router over the Binance channel against the loopback fake exchange (real
/// HTTP), every intent delivered several times and concurrently, while the exchange rate-limits, fails after
/// accepting, and answers too late. However the deliveries interleave, the exchange holds at most one order per
/// intent, never a second placement request for one, and once the in-flight checks have run every order Tollgate
/// holds has the exchange's status: no unknown outcome is left unresolved.
/// </summary>
[Collection(nameof(ExactlyOnceTests))]
public sealed class ExactlyOnceTests(ITestOutputHelper output)
{
    private static readonly int Intents = int.TryParse(Environment.GetEnvironmentVariable("TOLLGATE_EXACTLY_ONCE_INTENTS"), out var n) ? n : 10_000;
    private const int Deliveries = 3;

    [Fact]
    public async Task Every_intent_delivered_three_times_concurrently_under_faults_is_at_most_one_exchange_order_and_every_unknown_is_resolved()
    {
        // Real Binance refuses a reused client order id only among open orders; the channel's check before placing covers the rest.
        await using var rig = await OrderRig.StartAsync(
            // No query inside the channel: every unknown outcome reaches the router, whose in-flight check must resolve it.
            new BinanceOrderChannelOptions(UnknownQueryAttempts: 0, PlaceTimeout: TimeSpan.FromMilliseconds(400)),
            OrderRig.Options(amongOpenOnly: true));
        var instruments = rig.Instruments.All.ToArray(); // one routing lane per instrument, as the host's partitions
        var (router, store) = Router(rig, instruments);

        var intents = Enumerable.Range(0, Intents).Select(i => Intent(i, instruments[i % instruments.Length])).ToList();
        var deliveries = intents.SelectMany(intent => Enumerable.Repeat(intent, Deliveries)).OrderBy(_ => Random.Shared.Next()).ToList();

        using var stopFaults = new CancellationTokenSource();
        var faults = InjectFaultsAsync(rig, stopFaults.Token);
        await Parallel.ForEachAsync(deliveries, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (intent, ct) => await router.RouteAsync(intent, ct));
        stopFaults.Cancel();
        var injected = await faults;
        rig.Exchange.ClearOrderFaults();

        // The in-flight check resolves what was left unknown, by query only.
        for (var round = 0; round < 200 && router.OpenOrders > 0; round++)
        {
            await Task.Delay(50);
            await router.CheckInFlightAsync(CancellationToken.None);
        }

        var counts = rig.Exchange.Orders.OrderCounts;
        var unresolved = new List<string>();
        int placed = 0, refused = 0;
        foreach (var intent in intents)
        {
            var coid = ClientOrderId.For(intent.IntentId);
            Assert.True(rig.Exchange.Orders.PlaceRequestCount(coid) <= 1, $"{intent.IntentId}: {rig.Exchange.Orders.PlaceRequestCount(coid)} placement requests");
            var onExchange = counts.GetValueOrDefault(coid);
            Assert.True(onExchange <= 1, $"{intent.IntentId}: {onExchange} exchange orders");
            var stored = await store.GetOrderAsync(coid, CancellationToken.None);
            Assert.NotNull(stored);
            if (stored.Status == OrderStatus.Submitted) unresolved.Add(intent.IntentId);
            if (onExchange == 1)
            {
                placed++;
                var truth = rig.Exchange.Orders.Find(Fx.Fake(intent.Instrument.Market), intent.Instrument.Symbol, coid)!;
                Assert.True(truth.Status == Binance(stored.Status), $"{intent.IntentId}: Tollgate says {stored.Status.Code()}, the exchange {truth.Status}");
                Assert.Equal(truth.ExecutedQuantity, stored.Last.ExecutedQuantity);
            }
            else
            {
                refused++;
                Assert.Equal(OrderStatus.Rejected, stored.Status);
            }
        }
        Assert.Empty(unresolved);
        Assert.Equal(counts.Count, placed);
        var reasons = string.Join(", ", Metrics.Snapshot().SelectMany(c => c.RejectReasons).Select(r => $"{r.Value} {r.Key}"));
        var unknown = Metrics.Snapshot().Sum(c => c.UnknownOutcomes);
        output.WriteLine($"{Intents} intents x {Deliveries} deliveries: {placed} exchange orders, {refused} refused ({reasons}), {unknown} unknown outcomes resolved by query, {injected} faults armed");
        Assert.True(placed > Intents / 2, $"only {placed} of {Intents} intents reached the exchange ({refused} refused: {reasons})");
        Assert.True(injected > 0, "no fault was injected");
        Assert.True(unknown > 0, "no outcome was unknown: the faults did not reach the router");
        var cohort = Assert.Single(new ExecutionMetricsReader(router).Cohorts);
        Assert.Equal(Intents * (Deliveries - 1), cohort.IdempotencyHits);
    }

    private static async Task<int> InjectFaultsAsync(OrderRig rig, CancellationToken stop)
    {
        var injected = 0;
        try
        {
            for (var round = 0; !stop.IsCancellationRequested; round++)
            {
                // A 429 makes the client hold every call for its Retry-After (whole seconds): now and then, or nothing would flow.
                if (round % 12 == 0) rig.Exchange.RateLimitNextOrders(1, TimeSpan.FromSeconds(1));
                rig.Exchange.FailAfterAcceptNextOrders(2);
                rig.Exchange.FailAfterAcceptNextOrders(1, status: 400, errorCode: -1006);
                // A timeout holds its lane for the client's whole timeout: fewer of those, or 10,000 intents take minutes.
                if (round % 4 == 0) rig.Exchange.TimeoutNextOrders(1, TimeSpan.FromMilliseconds(700));
                rig.Exchange.DropConnectionAfterAcceptNextOrders(1);
                rig.Exchange.FailNextQueries(1);
                injected += round % 12 == 0 ? 7 : round % 4 == 0 ? 6 : 5;
                await Task.Delay(250, stop);
            }
        }
        catch (OperationCanceledException)
        {
        }
        return injected;
    }

    private static (OrderRouter Router, InMemoryExecutionStore Store) Router(OrderRig rig, Instrument[] instruments)
    {
        var limits = new RiskLimits(MaxOrderQuantity: 1m, MaxOrderNotional: 1_000_000m, CollarBps: 500m, MaxOrdersPerSecond: 1_000_000,
            MaxPositionQuantity: 1_000_000m, MaxConcurrentPositions: 1_000_000, Leverage: 10m, DuplicateWindow: TimeSpan.Zero);
        var store = new InMemoryExecutionStore();
        var router = new OrderRouter(rig.Instruments, store, rig.Channel, new Off(), new PreTradeRisk(rig.Instruments.All.ToDictionary(i => i, _ => limits,
                (IEqualityComparer<Instrument>)ReferenceEqualityComparer.Instance), new GlobalRiskLimits(1_000_000, 1_000_000_000m)),
            new FakeBooks(rig), new Green(), new PositionBook(0.5m, 0.5m), new NoJournal(), new NoResults(), Metrics, TimeProvider.System,
            new RouterOptions("Live", TimeSpan.FromMilliseconds(100), MaxInFlightQueries: 50));
        return (router, store);
    }

    private static readonly ExecutionMetrics Metrics = new();

    /// <summary>Spot buys (spot cannot sell what it does not hold), futures both ways.</summary>
    private static OrderIntent Intent(int i, Instrument instrument)
    {
        var spot = instrument.Market == MarketKind.Spot;
        var side = spot || i % 4 == 1 ? OrderSide.Buy : OrderSide.Sell;
        // The smallest quantity on the step whose notional clears the minimum at the listing's price.
        var quantity = Math.Ceiling(instrument.MinNotional * 1.5m / Price(instrument) / instrument.StepSize) * instrument.StepSize;
        return new OrderIntent($"exactly-once:{i}", instrument, side, OrderType.Market, quantity, null, null, null, "rev-exactly-once", DateTimeOffset.UtcNow);
    }

    private static decimal Price(Instrument instrument) => FakeExchange.FakeSymbol.Default(instrument.Symbol, Fx.Fake(instrument.Market)).StartPrice;

    private static string Binance(OrderStatus status) => status switch
    {
        OrderStatus.Accepted => "NEW",
        OrderStatus.PartiallyFilled => "PARTIALLY_FILLED",
        OrderStatus.Filled => "FILLED",
        OrderStatus.Canceled => "CANCELED",
        OrderStatus.Expired => "EXPIRED",
        OrderStatus.Rejected => "REJECTED",
        _ => status.Code(),
    };

    private sealed class ExecutionMetricsReader(OrderRouter router)
    {
        public IReadOnlyList<CohortMetrics> Cohorts => [.. Metrics.Snapshot().Where(c => c.Environment == router.Environment && c.ConfigRev == "rev-exactly-once")];
    }

    /// <summary>Risk prices market orders off the exchange's own current book.</summary>
    private sealed class FakeBooks(OrderRig rig) : IBookView
    {
        public BookTop? Top(Instrument instrument, int depth)
        {
            var book = rig.Book(instrument);
            return new BookTop(instrument, book.LastUpdateId, DateTimeOffset.UtcNow,
                [.. book.Bids.Take(depth).Select(l => new PriceLevel(l.Price, l.Quantity))], [.. book.Asks.Take(depth).Select(l => new PriceLevel(l.Price, l.Quantity))]);
        }
    }

    private sealed class Off : IStopSignal { public bool IsEngaged => false; }
    private sealed class Green : IHealthView { public HealthLevel HealthOf(Instrument instrument) => HealthLevel.Green; }
    private sealed class NoJournal : IExecutionJournal { public Task RecordAsync(ExecutionLog log, CancellationToken cancellationToken) => Task.CompletedTask; }
    private sealed class NoResults : IOrderResultSink { public Task PublishAsync(RouteResult result, CancellationToken cancellationToken) => Task.CompletedTask; }
}

/// <summary>The exactly-once run loads both cores for half a minute: alone, so it does not skew other tests' timings (a connector test compares server timestamps).</summary>
[CollectionDefinition(nameof(ExactlyOnceTests), DisableParallelization = true)]
public sealed class ExactlyOnceCollection;
