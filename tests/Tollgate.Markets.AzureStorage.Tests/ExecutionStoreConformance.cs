using System.Collections.Concurrent;
using Tollgate.Markets.Execution;
using Tollgate.Markets.Orders;

namespace Tollgate.Markets.AzureStorage.Tests;

/// <summary>
/// What every <see cref="IExecutionStore"/> must do, run against each implementation (memory, Azure Tables on
/// Azurite): insert-only, first writer wins and the loser changes nothing, every field comes back exactly (a decimal
/// with its scale, a time as the same instant), and the listings return each record once.
/// </summary>
public abstract class ExecutionStoreConformance
{
    /// <summary>A new, empty store (for the table store: its own task hub, so no two tests share tables).</summary>
    protected abstract Task<IExecutionStore> NewStoreAsync();

    private static readonly CancellationToken None = CancellationToken.None;

    // An instant with all seven tick digits and a non-UTC offset.
    protected static readonly DateTimeOffset T0 = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.FromHours(2)).AddTicks(1_234_567);

    protected const string Unicode = "Ünïcødé — 日本語 · Ελληνικά · עברית · 🚀👩🏽‍💻 \"quoted\" 'single' back\\slash\nnew line\ttab <xml/> &amp; %20 {json:1}";

    protected static string Coid(string intent) => ClientOrderId.For(intent);

    protected static OrderRecord FullOrder(string intent, decimal quantity = 0.00012300m) => new(
        intent, Coid(intent), "SPOT:BTCUSDT", OrderSide.Sell, OrderType.Limit, quantity,
        LimitPrice: 67_123.45678900m, StopLoss: 60_000.0000000000m, TakeProfit: 79_228_162_514_264.33759354395m, ReduceOnly: true,
        ConfigRev: "rules@sha256:" + new string('a', 64), Environment: "Paper", Channel: "paper",
        DecidedAt: T0, RoutedAt: T0.ToOffset(TimeSpan.FromHours(-7.5)).AddTicks(1),
        MidAtSend: 67_123.4050000000000000m, BookTop3: "bids 67123.40@1.00000000,67123.30@0.5,67123.20@2 | asks 67123.41@0.00100000,67123.50@3,67124@1 " + Unicode);

    protected static OrderRecord SparseOrder(string intent) => new(
        intent, Coid(intent), "USDM:ETHUSDT", OrderSide.Buy, OrderType.Market, 1m,
        LimitPrice: null, StopLoss: null, TakeProfit: null, ReduceOnly: false, ConfigRev: "r1", Environment: "Live", Channel: "binance",
        DecidedAt: new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), RoutedAt: new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(9_999_999));

    protected static OrderEventRecord Initialized(OrderRecord order, string detail = "risk: ok; kill switch: off; " + Unicode) =>
        new(order.ClientOrderId, 0, OrderStatus.Initialized, order.RoutedAt, null, detail, 0m, null, null);

    protected static OrderEventRecord Event(string coid, int sequence, OrderStatus status = OrderStatus.Accepted, string? reason = null, string detail = "",
        decimal executed = 0m, decimal? average = null, string? exchangeOrderId = null)
        => new(coid, sequence, status, T0.AddSeconds(sequence).AddTicks(sequence * 7), reason, detail, executed, average, exchangeOrderId);

    protected static FillRecord Fill(string coid, string tradeId, DateTimeOffset at, decimal quantity = 0.00100000m) => new(
        coid, "intent-of-" + coid, tradeId, "SPOT:BTCUSDT", OrderSide.Buy, quantity, 67_123.41000000m, 0.0000010000000000000000000001m, "BNB",
        IsMaker: true, at, MidAtSend: 67_123.405m, BookTop3: "top " + Unicode, SlippageBps: -0.0744871264581906357m, ConfigRev: "rev-" + tradeId);

    protected static PositionSnapshot Position(string instrument, long sequence, decimal quantity = 1.50000000m) => new(
        instrument, sequence, quantity, 67_000.12345678901234567m, 100_500.18518518m, -12.3400m, 0.0000001m, Generation: (int)(sequence % 5) + 1,
        UnrealizedPnl: sequence % 2 == 0 ? null : 0.00m, Mark: sequence % 2 == 0 ? null : 67_010.000m, T0.AddMinutes(sequence % 100_000).AddTicks(sequence % 9_999), "trade-" + sequence);

    // ---------------------------------------------------------------- orders

    [Fact]
    public async Task An_unknown_order_is_null()
    {
        var store = await NewStoreAsync();
        Assert.Null(await store.GetOrderAsync(Coid("nobody"), None));
    }

    [Fact]
    public async Task An_order_and_its_event_zero_round_trip_every_field_exactly()
    {
        var store = await NewStoreAsync();
        foreach (var order in new[] { FullOrder("full"), SparseOrder("sparse") })
        {
            var initialized = Initialized(order);
            Assert.True(await store.TryAddOrderAsync(order, initialized, None));
            var stored = await store.GetOrderAsync(order.ClientOrderId, None);
            Assert.NotNull(stored);
            Assert.Equal(Canon.Of(order), Canon.Of(stored.Order));
            Assert.Equal(Canon.Of(new[] { initialized }), Canon.Of(stored.Events));
            Assert.Equal(OrderStatus.Initialized, stored.Status);
        }
    }

    [Fact]
    public async Task The_first_TryAddOrder_wins_and_the_second_is_refused_without_changing_anything()
    {
        var store = await NewStoreAsync();
        var first = FullOrder("twice");
        Assert.True(await store.TryAddOrderAsync(first, Initialized(first), None));
        Assert.True(await store.TryAppendEventAsync(Event(first.ClientOrderId, 1, OrderStatus.Submitted), None));

        // Same client order id, different content and a different event 0.
        var second = first with { Quantity = 99m, ConfigRev = "other", Channel = "binance", BookTop3 = "" };
        Assert.False(await store.TryAddOrderAsync(second, Initialized(second, "the second writer") with { Status = OrderStatus.Rejected, Reason = "EXE-KILL" }, None));

        var stored = (await store.GetOrderAsync(first.ClientOrderId, None))!;
        Assert.Equal(Canon.Of(first), Canon.Of(stored.Order));
        Assert.Equal(Canon.Of(new[] { Initialized(first), Event(first.ClientOrderId, 1, OrderStatus.Submitted) }), Canon.Of(stored.Events));
    }

    [Fact]
    public async Task Events_append_in_sequence_a_taken_sequence_is_refused_and_they_come_back_in_order_with_every_field()
    {
        var store = await NewStoreAsync();
        var order = FullOrder("life");
        var coid = order.ClientOrderId;
        Assert.True(await store.TryAddOrderAsync(order, Initialized(order), None));
        var events = new List<OrderEventRecord>
        {
            Initialized(order),
            Event(coid, 1, OrderStatus.Submitted, detail: "sent to paper"),
            Event(coid, 2, OrderStatus.Accepted, detail: "", exchangeOrderId: "1234567890123456789"),
            Event(coid, 3, OrderStatus.PartiallyFilled, executed: 0.00010000m, average: 67_123.410000000m, exchangeOrderId: "1234567890123456789", detail: Unicode),
            Event(coid, 4, OrderStatus.PendingCancel, reason: "RISK-COLLAR", detail: "cancel: collar", executed: 0.00010000m, average: 67_123.410000000m, exchangeOrderId: "1234567890123456789"),
            Event(coid, 5, OrderStatus.Accepted, reason: "EXE-CHANNEL-UNKNOWN", detail: new string('x', 5_000) + Unicode, executed: 0.00010000m, average: 67_123.410000000m),
            Event(coid, 6, OrderStatus.Filled, executed: 0.00012300m, average: 67_123.4155284552845528455284m, exchangeOrderId: "1234567890123456789"),
            Event(coid, 7, OrderStatus.Canceled, reason: "", detail: "", executed: 0.00012300m),
            Event(coid, 8, OrderStatus.Rejected, reason: "EXE-KILL", executed: 0m),
            Event(coid, 9, OrderStatus.Expired, executed: 0.000m, average: 79_228_162_514_264_337_593_543_950_335m),
            Event(coid, 10, OrderStatus.Expired, executed: 0.0000000000000000000000000001m, average: -79_228_162_514_264_337_593_543_950_335m),
            Event(coid, 11, OrderStatus.Filled, executed: 1.0000000000000000000000000000m),
        };
        foreach (var e in events.Skip(1)) Assert.True(await store.TryAppendEventAsync(e, None), $"event {e.Sequence}");

        // A second writer of a taken sequence loses and changes nothing.
        Assert.False(await store.TryAppendEventAsync(Event(coid, 3, OrderStatus.Rejected, reason: "EXE-KILL", detail: "late writer"), None));
        Assert.False(await store.TryAppendEventAsync(Event(coid, 0, OrderStatus.Filled), None));
        Assert.False(await store.TryAppendEventAsync(Event(coid, 11, OrderStatus.Canceled), None));

        var stored = (await store.GetOrderAsync(coid, None))!;
        Assert.Equal(Enumerable.Range(0, 12), stored.Events.Select(e => e.Sequence));
        Assert.Equal(Canon.Of(events), Canon.Of(stored.Events));
        Assert.Equal(OrderStatus.Filled, stored.Status);
        Assert.Equal("1.0000000000000000000000000000", stored.Last.ExecutedQuantity.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Event_sequences_order_numerically_past_ten()
    {
        var store = await NewStoreAsync();
        var order = SparseOrder("many-events");
        Assert.True(await store.TryAddOrderAsync(order, Initialized(order), None));
        for (var i = 1; i <= 120; i++) Assert.True(await store.TryAppendEventAsync(Event(order.ClientOrderId, i, detail: $"#{i}"), None));
        var stored = (await store.GetOrderAsync(order.ClientOrderId, None))!;
        Assert.Equal(Enumerable.Range(0, 121), stored.Events.Select(e => e.Sequence));
        Assert.Equal("#120", stored.Last.Detail);
    }

    [Fact]
    public async Task Twenty_concurrent_TryAddOrder_of_one_order_have_exactly_one_winner_whose_content_is_stored()
    {
        var store = await NewStoreAsync();
        var template = FullOrder("race");
        using var start = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            start.Wait();
            var mine = template with { ConfigRev = $"writer-{i}" };
            return (Writer: i, Won: await store.TryAddOrderAsync(mine, Initialized(mine, $"writer {i}"), None));
        })).ToArray();
        start.Set();
        var results = await Task.WhenAll(attempts);
        var winner = Assert.Single(results, r => r.Won).Writer;

        var stored = (await store.GetOrderAsync(template.ClientOrderId, None))!;
        Assert.Equal($"writer-{winner}", stored.Order.ConfigRev);
        Assert.Equal($"writer {winner}", Assert.Single(stored.Events).Detail);
    }

    [Fact]
    public async Task Concurrent_appends_of_one_sequence_have_exactly_one_winner()
    {
        var store = await NewStoreAsync();
        var order = FullOrder("append-race");
        Assert.True(await store.TryAddOrderAsync(order, Initialized(order), None));
        using var start = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            start.Wait();
            return (Writer: i, Won: await store.TryAppendEventAsync(Event(order.ClientOrderId, 1, detail: $"writer {i}"), None));
        })).ToArray();
        start.Set();
        var results = await Task.WhenAll(attempts);
        var winner = Assert.Single(results, r => r.Won).Writer;
        var stored = (await store.GetOrderAsync(order.ClientOrderId, None))!;
        Assert.Equal(2, stored.Events.Count);
        Assert.Equal($"writer {winner}", stored.Last.Detail);
    }

    /// <summary>The body of a test the in-memory store passes and the table store does not (see its skip reason).</summary>
    protected async Task AnEventForAnUnrecordedOrderIsRefusedAndDoesNotBlockTheOrder()
    {
        var store = await NewStoreAsync();
        var order = FullOrder("not-yet");
        Assert.False(await store.TryAppendEventAsync(Initialized(order), None));
        Assert.False(await store.TryAppendEventAsync(Event(order.ClientOrderId, 1), None));
        Assert.Null(await store.GetOrderAsync(order.ClientOrderId, None));
        Assert.True(await store.TryAddOrderAsync(order, Initialized(order), None));
        Assert.Single((await store.GetOrderAsync(order.ClientOrderId, None))!.Events);
    }

    // ---------------------------------------------------------------- fills

    [Fact]
    public async Task A_fill_is_recorded_once_per_client_order_id_and_trade_id_and_round_trips_every_field()
    {
        var store = await NewStoreAsync();
        var a = Coid("fill-a");
        var b = Coid("fill-b");
        var fill = Fill(a, "1001", T0);
        Assert.True(await store.TryAddFillAsync(fill, None));
        Assert.False(await store.TryAddFillAsync(fill with { Quantity = 5m, Price = 1m, ConfigRev = "second writer" }, None));
        // The same trade id under another order is another fill.
        var other = Fill(b, "1001", T0.AddTicks(1)) with { MidAtSend = null, SlippageBps = null, BookTop3 = "", FeeAsset = "USDT", IsMaker = false, Side = OrderSide.Sell };
        Assert.True(await store.TryAddFillAsync(other, None));

        Assert.Equal(Canon.Of(new[] { fill }), Canon.Of(await store.FillsAsync(a, None)));
        Assert.Equal(Canon.Of(new[] { other }), Canon.Of(await store.FillsAsync(b, None)));
        Assert.Empty(await store.FillsAsync(Coid("no-fills"), None));
    }

    [Fact]
    public async Task FillsAsync_returns_exactly_that_orders_fills()
    {
        var store = await NewStoreAsync();
        var a = Coid("fills-of-a");
        var b = Coid("fills-of-b");
        var expected = new List<FillRecord>();
        for (var i = 1; i <= 12; i++)
        {
            var f = Fill(a, i.ToString(System.Globalization.CultureInfo.InvariantCulture), T0.AddSeconds(i), quantity: i * 0.10m);
            expected.Add(f);
            Assert.True(await store.TryAddFillAsync(f, None));
            Assert.True(await store.TryAddFillAsync(Fill(b, "b" + i, T0.AddSeconds(i)), None));
        }
        var found = await store.FillsAsync(a, None);
        Assert.Equal(12, found.Count);
        Assert.Equal(expected.Select(Canon.Of).Order(StringComparer.Ordinal), found.Select(Canon.Of).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task FillsSinceAsync_returns_every_fill_at_or_after_the_instant_whatever_the_offsets()
    {
        var store = await NewStoreAsync();
        var since = T0; // +02:00, with sub-millisecond ticks
        // One millisecond before: Azurite compares Edm.DateTime in a filter to the millisecond (a fill one tick
        // before `since` passes `At ge since` there), so the boundary below is the finest both stores agree on.
        var before = Fill(Coid("o1"), "1", since.AddMilliseconds(-1));
        var atUtc = Fill(Coid("o1"), "2", since.ToUniversalTime());
        var atOtherOffset = Fill(Coid("o2"), "3", since.ToOffset(TimeSpan.FromHours(-5)));
        var after = Fill(Coid("o2"), "4", since.AddTicks(1));
        var longAfter = Fill(Coid("o3"), "5", since.AddDays(400));
        var longBefore = Fill(Coid("o3"), "6", since.AddYears(-3));
        foreach (var f in new[] { before, atUtc, atOtherOffset, after, longAfter, longBefore }) Assert.True(await store.TryAddFillAsync(f, None));

        var found = await store.FillsSinceAsync(since, None);
        Assert.Equal(new[] { atUtc, atOtherOffset, after, longAfter }.Select(Canon.Of).Order(StringComparer.Ordinal), found.Select(Canon.Of).Order(StringComparer.Ordinal));
        // The same instant asked in another offset.
        Assert.Equal(4, (await store.FillsSinceAsync(since.ToOffset(TimeSpan.FromHours(9)), None)).Count);
        Assert.Equal(6, (await store.FillsSinceAsync(DateTimeOffset.UnixEpoch, None)).Count);
        Assert.Empty(await store.FillsSinceAsync(since.AddDays(400).AddMilliseconds(1), None));
    }

    // ---------------------------------------------------------------- positions

    [Fact]
    public async Task A_position_is_recorded_once_per_instrument_and_sequence_and_round_trips_every_field()
    {
        var store = await NewStoreAsync();
        var first = Position("SPOT:BTCUSDT", 7);
        Assert.True(await store.TryAddPositionAsync(first, None));
        Assert.False(await store.TryAddPositionAsync(first with { Quantity = 0m, Cause = "second writer" }, None));
        // The same sequence on another instrument is another snapshot.
        var other = Position("USDM:BTCUSDT", 7) with { UnrealizedPnl = -3.210m, Mark = 1m };
        Assert.True(await store.TryAddPositionAsync(other, None));

        var latest = (await store.LatestPositionsAsync(None)).ToDictionary(p => p.InstrumentKey);
        Assert.Equal(2, latest.Count);
        Assert.Equal(Canon.Of(first), Canon.Of(latest["SPOT:BTCUSDT"]));
        Assert.Equal(Canon.Of(other), Canon.Of(latest["USDM:BTCUSDT"]));
    }

    [Fact]
    public async Task LatestPositions_picks_the_highest_sequence_of_each_instrument_whatever_the_insert_order()
    {
        var store = await NewStoreAsync();
        var sequences = new Dictionary<string, long[]>
        {
            ["SPOT:BTCUSDT"] = [3, 1, 10, 2, 9, 100, 11],
            ["SPOT:ETHUSDT"] = [1],
            ["USDM:BTCUSDT"] = [1_000_000_000_000, 999_999_999_999, 5],
            ["USDM:SOLUSDT"] = [0, 2, 1],
        };
        foreach (var (instrument, list) in sequences)
            foreach (var sequence in list)
                Assert.True(await store.TryAddPositionAsync(Position(instrument, sequence, quantity: sequence + 0.5m), None));

        var latest = await store.LatestPositionsAsync(None);
        Assert.Equal(sequences.Count, latest.Count);
        foreach (var (instrument, list) in sequences)
        {
            var top = Assert.Single(latest, p => p.InstrumentKey == instrument);
            Assert.Equal(Canon.Of(Position(instrument, list.Max(), quantity: list.Max() + 0.5m)), Canon.Of(top));
        }
        Assert.Empty(await (await NewStoreAsync()).LatestPositionsAsync(None));
    }

    // ---------------------------------------------------------------- listing

    [Fact]
    public async Task OrdersAsync_yields_each_of_300_orders_exactly_once_with_all_its_events()
    {
        var store = await NewStoreAsync();
        var expected = new ConcurrentDictionary<string, List<OrderEventRecord>>();
        var orders = new ConcurrentDictionary<string, OrderRecord>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 300), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var order = (i % 3 == 0 ? SparseOrder($"bulk-{i}") : FullOrder($"bulk-{i}", quantity: i + 0.001m)) with { ConfigRev = $"rev-{i}" };
            var events = new List<OrderEventRecord> { Initialized(order, $"order {i}") };
            Assert.True(await store.TryAddOrderAsync(order, events[0], ct));
            // 1 to 8 events per order, so partitions of many sizes straddle the service's 1,000-row pages.
            for (var s = 1; s < 1 + i % 8; s++)
            {
                var e = Event(order.ClientOrderId, s, (OrderStatus)(s % 9), detail: $"order {i} event {s}", executed: s * 0.01m);
                Assert.True(await store.TryAppendEventAsync(e, ct));
                events.Add(e);
            }
            orders[order.ClientOrderId] = order;
            expected[order.ClientOrderId] = events;
        });

        var seen = new List<StoredOrder>();
        await foreach (var stored in store.OrdersAsync(None)) seen.Add(stored);

        var duplicates = seen.GroupBy(s => s.Order.ClientOrderId).Where(g => g.Count() > 1).Select(g => $"{g.Key} x{g.Count()}").ToList();
        Assert.True(duplicates.Count == 0, "yielded more than once: " + string.Join(", ", duplicates));
        var missing = orders.Keys.Except(seen.Select(s => s.Order.ClientOrderId)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} order(s) never yielded, e.g. {string.Join(", ", missing.Take(5))}");
        Assert.Equal(300, seen.Count);
        foreach (var stored in seen)
        {
            var coid = stored.Order.ClientOrderId;
            Assert.Equal(Canon.Of(orders[coid]), Canon.Of(stored.Order));
            Assert.Equal(Canon.Of(expected[coid]), Canon.Of(stored.Events));
        }
    }

    [Fact]
    public async Task OrdersAsync_of_an_empty_store_yields_nothing()
    {
        var store = await NewStoreAsync();
        await foreach (var _ in store.OrdersAsync(None)) Assert.Fail("an empty store yielded an order");
    }
}
