using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Tollgate.FakeExchange;
using Tollgate.Markets.Binance.Connector;
using Tollgate.Markets.Binance.Rest;
using Tollgate.Markets.Binance.Streams;
using Tollgate.Markets.Ingest;
using Tollgate.Markets.Instruments;

namespace Tollgate.Markets.Binance.Tests;

public sealed class ConnectorTests : IAsyncDisposable
{
    private readonly RecordingObserver observer = new();
    private readonly RecordingSink sink = new();
    private readonly CapturingLogger logger = new();
    private readonly HttpClient http = new();
    private FakeExchange.FakeExchange? exchange;
    private MarketConnector? connector;
    private Task? run;

    private static readonly InstrumentTable SpotAndFutures = new([
        new Instrument(MarketKind.Spot, "BTCUSDT", 0.01m, 0.00001m, 5m),
        new Instrument(MarketKind.Spot, "ETHUSDT", 0.01m, 0.0001m, 5m),
        new Instrument(MarketKind.Futures, "BTCUSDT", 0.1m, 0.001m, 100m),
    ]);

    private static StreamOptions FastStreams(TimeSpan? idle = null, TimeSpan? rotate = null) => new(
        IdleTimeout: idle ?? TimeSpan.FromSeconds(30),
        ReconnectBaseDelay: TimeSpan.FromMilliseconds(50), ReconnectMaxDelay: TimeSpan.FromMilliseconds(400),
        RotateAfter: rotate, CloseTimeout: TimeSpan.FromSeconds(2));

    private async Task StartAsync(FakeExchangeOptions exchangeOptions, MarketConnectorOptions options, InstrumentTable? table = null, TimeProvider? clock = null)
    {
        exchange = await FakeExchange.FakeExchange.StartAsync(exchangeOptions);
        var rest = new BinanceRestClient(http, Fx.Endpoints(exchange), observer, clock, logger, new BinanceRestOptions(RetryBaseDelay: TimeSpan.FromMilliseconds(20)));
        connector = new MarketConnector(table ?? SpotAndFutures, sink, observer, rest, options with { Random = new Random(7) }, clock, logger);
        run = connector.RunAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (connector is not null) await connector.DisposeAsync();
        if (exchange is not null) await exchange.DisposeAsync();
        http.Dispose();
    }

    private static IEnumerable<(long U, long u, long? pu)> DepthIds(IEnumerable<PublishedFrame> frames) =>
        frames.Select(f => f.Json.GetProperty("data")).Select(d => (d.GetProperty("U").GetInt64(), d.GetProperty("u").GetInt64(),
            d.TryGetProperty("pu", out var pu) ? pu.GetInt64() : (long?)null));

    /// <summary>
    /// Every depth event the fake sent on <paramref name="stream"/> between the first and the last one published reached
    /// the sink (duplicates allowed), except those the fake dropped by script.
    /// </summary>
    private void AssertNoUnscriptedGap(FakeMarket market, string symbol, string stream)
    {
        var published = DepthIds(sink.Of(stream, market == FakeMarket.Spot ? MarketKind.Spot : MarketKind.Futures)).Select(i => i.u).ToHashSet();
        Assert.NotEmpty(published);
        var truth = exchange!.Simulator(market, symbol).Events.Where(e => e.Stream == stream && e.FinalUpdateId >= published.Min() && e.FinalUpdateId <= published.Max()).ToList();
        var missing = truth.Where(e => e.Delivery != FakeDelivery.Dropped && !published.Contains(e.FinalUpdateId)).Select(e => e.FinalUpdateId).ToList();
        Assert.True(missing.Count == 0, $"{stream}: {missing.Count} events lost, first u={missing.FirstOrDefault()}");
    }

    [Fact]
    public async Task Publishes_every_stream_keyed_by_instrument_then_a_snapshot_after_the_stream_opened_and_heartbeats()
    {
        await StartAsync(new FakeExchangeOptions(), new MarketConnectorOptions(Streams: FastStreams(), HeartbeatInterval: TimeSpan.FromMilliseconds(200), SpotDepthLimit: 100, FuturesDepthLimit: 100));
        var expected = new[] { "btcusdt@bookTicker", "btcusdt@depth@100ms", "btcusdt@aggTrade", "ethusdt@bookTicker", "ethusdt@depth@100ms", "ethusdt@aggTrade" };
        await Fx.Eventually(() => expected.All(s => sink.Of(s).Any()) && sink.Frames.Any(f => f.Stream == "btcusdt@markPrice@1s")
                                  && connector!.SnapshotsPublished >= 3 && observer.Heartbeats.Count >= 4, "every stream, three snapshots, heartbeats");

        foreach (var frame in sink.Frames.Where(f => f.Header.Kind == FrameKind.Stream))
        {
            Assert.Null(frame.Header.Symbol);
            var symbol = frame.Stream![..frame.Stream!.IndexOf('@')].ToUpperInvariant();
            Assert.Equal($"{frame.Header.Market.Code()}:{symbol}", frame.PartitionKey);
            Assert.Equal(StreamMessageKind.Data, StreamMessage.Classify(frame.Body, new byte[64], out _));
        }
        var snapshots = sink.Frames.Where(f => f.Header.Kind == FrameKind.DepthSnapshot).ToList();
        Assert.Equal(["FUT:BTCUSDT", "SPOT:BTCUSDT", "SPOT:ETHUSDT"], snapshots.Select(s => s.PartitionKey).Distinct().Order());
        Assert.All(snapshots, s => Assert.Equal(s.PartitionKey[(s.PartitionKey.IndexOf(':') + 1)..], s.Header.Symbol));
        // Each snapshot was fetched after its connection was open: the depth request came after the socket did.
        foreach (var market in new[] { FakeMarket.Spot, FakeMarket.Futures })
        {
            var opened = exchange!.Connections.Where(c => c.Market == market).Min(c => c.OpenedAt);
            Assert.All(exchange.RestRequests.Where(r => r.Path.EndsWith("/depth") && r.Market == market), r => Assert.True(r.At >= opened));
        }
        // The snapshot overlaps the stream: its lastUpdateId lies inside what the stream delivered.
        var spotSnapshot = JsonDocument.Parse(snapshots.First(s => s.PartitionKey == "SPOT:BTCUSDT").Body).RootElement.GetProperty("lastUpdateId").GetInt64();
        await Fx.Eventually(() => DepthIds(sink.Of("btcusdt@depth@100ms")).Any(i => i.u > spotSnapshot), "depth past the snapshot");
        Assert.Contains(observer.Heartbeats, h => h.Market == MarketKind.Futures && h.Rtt >= TimeSpan.Zero);
        Assert.All(observer.Connected, c => Assert.Equal(1, c.Attempt));
        AssertNoUnscriptedGap(FakeMarket.Spot, "BTCUSDT", "btcusdt@depth@100ms");
        AssertNoUnscriptedGap(FakeMarket.Futures, "BTCUSDT", "btcusdt@depth@100ms");

        // Futures chain by pu = previous u, and the fake's ids skip (U is not previous u + 1).
        var futures = DepthIds(sink.Frames.Where(f => f.Header.Market == MarketKind.Futures && f.Stream == "btcusdt@depth@100ms")).DistinctBy(i => i.u).ToList();
        Assert.All(futures.Zip(futures.Skip(1)), p => Assert.Equal(p.First.u, p.Second.pu));

        await connector!.StopAsync();
        await run!;
        Assert.Equal(0, exchange!.OpenConnectionCount());
        Assert.All(observer.Disconnected, d => Assert.True(d.Planned));
    }

    [Fact]
    public async Task Disconnect_mid_stream_reconnects_with_backoff_refetches_snapshots_and_publishes_again()
    {
        await StartAsync(new FakeExchangeOptions(), new MarketConnectorOptions(Streams: FastStreams(), HeartbeatInterval: Timeout.InfiniteTimeSpan, SpotDepthLimit: 100, FuturesDepthLimit: 100));
        await Fx.Eventually(() => connector!.SnapshotsPublished >= 3 && sink.Count > 30, "a running connector");
        var before = sink.Count;
        Assert.Equal(2, exchange!.DisconnectAll());
        await Fx.Eventually(() => observer.Connected.Count >= 4 && connector!.SnapshotsPublished >= 6, "both markets reconnected with new snapshots");
        await Fx.Eventually(() => sink.Frames.Skip(before).Count(f => f.Header.Kind == FrameKind.Stream) > 30, "frames after the reconnect");
        Assert.Equal(2, observer.Disconnected.Count(d => !d.Planned));
        Assert.Equal(2, exchange.OpenConnectionCount());
        Assert.All(observer.Connected, c => Assert.Equal(1, c.Attempt));
    }

    [Fact]
    public async Task Reconnect_attempts_back_off_while_the_exchange_refuses_connections()
    {
        var table = new InstrumentTable([new Instrument(MarketKind.Spot, "BTCUSDT", 0.01m, 0.00001m, 5m)]);
        await StartAsync(new FakeExchangeOptions(), new MarketConnectorOptions(Streams: FastStreams(), HeartbeatInterval: Timeout.InfiniteTimeSpan, SpotDepthLimit: 100), table);
        await Fx.Eventually(() => sink.Count > 5, "running");
        // Stop the exchange: every reconnect attempt fails until a new one listens on the same port.
        var port = exchange!.BaseUri.Port;
        await exchange.DisposeAsync();
        var refusedBefore = logger.Lines.Count(l => l.Contains("could not open"));
        await Fx.Eventually(() => logger.Lines.Count(l => l.Contains("could not open")) >= refusedBefore + 3, "several refused attempts");
        var connectedBefore = observer.Connected.Count;
        exchange = await FakeExchange.FakeExchange.StartAsync(new FakeExchangeOptions { Url = $"http://127.0.0.1:{port}" });
        await Fx.Eventually(() => observer.Connected.Count > connectedBefore, "reconnected to the new exchange");
        var attempt = observer.Connected.ElementAt(connectedBefore).Attempt;
        Assert.True(attempt >= 4, $"attempt {attempt}: the refused attempts since the drop were not counted");
        var before = sink.Count;
        await Fx.Eventually(() => sink.Count > before + 5, "publishing again");
    }

    [Fact]
    public async Task Ping_timeout_on_a_silent_connection_reconnects()
    {
        await StartAsync(new FakeExchangeOptions(), new MarketConnectorOptions(Streams: FastStreams(idle: TimeSpan.FromMilliseconds(800)), HeartbeatInterval: Timeout.InfiniteTimeSpan, SpotDepthLimit: 100, FuturesDepthLimit: 100));
        await Fx.Eventually(() => sink.Count > 20 && observer.Connected.Count == 2, "running");
        exchange!.FreezeConnections(FakeMarket.Spot);
        await Fx.Eventually(() => observer.Disconnected.Any(d => d.Market == MarketKind.Spot && d.Reason.Contains("ping timeout")), "the spot connection timed out");
        await Fx.Eventually(() => observer.Connected.Count(c => c.Market == MarketKind.Spot) == 2, "the spot connection replaced");
        var before = sink.Count;
        await Fx.Eventually(() => sink.Frames.Skip(before).Any(f => f.Header.Market == MarketKind.Spot && f.Header.Kind == FrameKind.Stream), "spot frames again");
        Assert.DoesNotContain(observer.Disconnected, d => d.Market == MarketKind.Futures);
    }

    [Fact]
    public async Task Rotation_before_the_24h_cut_opens_the_new_connection_first_and_loses_no_frame()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero));
        await StartAsync(new FakeExchangeOptions { Clock = clock },
            new MarketConnectorOptions(Streams: FastStreams(idle: Timeout.InfiniteTimeSpan), HeartbeatInterval: Timeout.InfiniteTimeSpan, SpotDepthLimit: 100, FuturesDepthLimit: 100),
            clock: clock);
        await Fx.Eventually(() => sink.Count > 40 && connector!.SnapshotsPublished >= 3, "running");
        var firstIds = observer.Connected.Select(c => c.Id).ToList();

        clock.Advance(new TimeSpan(23, 30, 0));
        await Fx.Eventually(() => observer.Disconnected.Count(d => d.Planned) == 2, "both connections rotated");
        var log = observer.Log.ToList();
        foreach (var old in firstIds)
        {
            var market = old[..old.IndexOf('-')];
            var replaced = log.FindIndex(l => l.StartsWith($"disconnected {old} planned=True"));
            var successor = log.FindIndex(l => l.StartsWith($"connected {market}-") && !firstIds.Any(id => l.StartsWith($"connected {id} ")));
            Assert.True(successor >= 0 && successor < replaced, $"{old}: the new connection opened after the old one closed\n{string.Join('\n', log)}");
        }
        Assert.Equal(3, connector!.SnapshotsPublished); // a rotation loses nothing, so no new snapshot is needed
        var before = sink.Count;
        await Fx.Eventually(() => sink.Count > before + 40, "frames after the rotation");
        await connector.StopAsync();

        AssertNoUnscriptedGap(FakeMarket.Spot, "BTCUSDT", "btcusdt@depth@100ms");
        AssertNoUnscriptedGap(FakeMarket.Spot, "ETHUSDT", "ethusdt@depth@100ms");
        AssertNoUnscriptedGap(FakeMarket.Futures, "BTCUSDT", "btcusdt@depth@100ms");
        Assert.All(exchange!.Connections, c => Assert.Equal("client closed", c.CloseReason));
    }

    [Fact]
    public async Task The_exchanges_24h_cut_without_rotation_is_an_unplanned_drop_and_reconnects()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero));
        var table = new InstrumentTable([new Instrument(MarketKind.Spot, "BTCUSDT", 0.01m, 0.00001m, 5m)]);
        await StartAsync(new FakeExchangeOptions { Clock = clock, MaxConnectionLifetime = TimeSpan.FromHours(1) },
            new MarketConnectorOptions(Streams: FastStreams(idle: Timeout.InfiniteTimeSpan), HeartbeatInterval: Timeout.InfiniteTimeSpan, SpotDepthLimit: 100), table, clock);
        await Fx.Eventually(() => sink.Count > 10, "running");
        exchange!.DropNextDepthEvents(FakeMarket.Spot, "BTCUSDT", 3);
        clock.Advance(TimeSpan.FromHours(1));
        await Fx.AdvanceUntil(clock, TimeSpan.FromMilliseconds(50), () => observer.Connected.Count >= 2, "reconnected after the cut");
        Assert.Contains(observer.Disconnected, d => !d.Planned && d.Reason.Contains("24 h cut"));
        await Fx.Eventually(() => connector!.SnapshotsPublished >= 2, "a fresh snapshot after the drop");
        await Fx.Eventually(() => exchange.Simulator(FakeMarket.Spot, "BTCUSDT").Events.Count(e => e.Delivery == FakeDelivery.Dropped) == 3, "the scripted gap");
    }

    [Fact]
    public async Task A_slow_consumer_is_dropped_by_the_exchange_and_the_connector_reconnects()
    {
        var table = new InstrumentTable([new Instrument(MarketKind.Spot, "BTCUSDT", 0.01m, 0.00001m, 5m)]);
        await StartAsync(new FakeExchangeOptions { TickInterval = Timeout.InfiniteTimeSpan, MaxPendingFramesPerConnection = 64 },
            new MarketConnectorOptions(Streams: FastStreams(), HeartbeatInterval: Timeout.InfiniteTimeSpan, SpotDepthLimit: 100), table);
        await Fx.Eventually(() => observer.Connected.Count == 1 && connector!.SnapshotsPublished == 1, "connected");
        sink.Block();
        await Fx.Eventually(() => { exchange!.Step(2000); return exchange.SlowConsumerDisconnects > 0; }, "the exchange to drop the slow consumer", 60);
        sink.Release();
        await Fx.Eventually(() => observer.Connected.Count >= 2, "reconnected");
        var before = sink.Count;
        await Fx.Eventually(() => { exchange!.Step(); return sink.Frames.Skip(before).Any(f => f.Header.Kind == FrameKind.Stream); }, "publishing again");
        Assert.Contains(exchange!.Connections, c => c.CloseReason?.StartsWith("slow consumer") == true);
    }

    [Fact]
    public async Task Streams_are_split_across_connections_by_the_per_connection_limit()
    {
        var table = new InstrumentTable([
            new Instrument(MarketKind.Spot, "BTCUSDT", 0.01m, 0.00001m, 5m), new Instrument(MarketKind.Spot, "ETHUSDT", 0.01m, 0.0001m, 5m),
            new Instrument(MarketKind.Futures, "BTCUSDT", 0.1m, 0.001m, 100m), new Instrument(MarketKind.Futures, "ETHUSDT", 0.01m, 0.001m, 20m)]);
        await StartAsync(new FakeExchangeOptions { FuturesMaxStreamsPerConnection = 4 },
            new MarketConnectorOptions(Streams: FastStreams(), HeartbeatInterval: Timeout.InfiniteTimeSpan, SpotMaxStreamsPerConnection: 3, FuturesMaxStreamsPerConnection: 4,
                SpotDepthLimit: 100, FuturesDepthLimit: 100), table);
        Assert.Equal(4, connector!.Plan.Count);
        Assert.All(connector.Plan, p => Assert.Single(p.DepthInstruments));
        await Fx.Eventually(() => exchange!.OpenConnectionCount() == 4 && connector.SnapshotsPublished >= 4, "four connections");
        foreach (var connection in exchange!.Connections)
            Assert.True(connection.Streams.Count <= (connection.Market == FakeMarket.Spot ? 3 : 4));
        Assert.Equal(14, exchange.Connections.Sum(c => c.Streams.Count));
        await Fx.Eventually(() => sink.Frames.Select(f => (f.Header.Market, f.Stream)).Distinct().Count(x => x.Stream is not null) == 14, "frames of all 14 streams");

        var refused = MarketConnector.PlanConnections(table, new MarketConnectorOptions(SpotMaxStreamsPerConnection: 2));
        Assert.True(refused.Where(p => p.Market == MarketKind.Spot).All(p => p.Streams.Count <= 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => MarketConnector.PlanConnections(table, new MarketConnectorOptions(FuturesMaxStreamsPerConnection: 201)));
    }

    [Fact]
    public async Task Snapshot_requests_are_coalesced_per_instrument_and_unknown_keys_refused()
    {
        var table = new InstrumentTable([new Instrument(MarketKind.Spot, "BTCUSDT", 0.01m, 0.00001m, 5m)]);
        await StartAsync(new FakeExchangeOptions(), new MarketConnectorOptions(Streams: FastStreams(), HeartbeatInterval: Timeout.InfiniteTimeSpan, SpotDepthLimit: 100), table);
        await Fx.Eventually(() => connector!.SnapshotsPublished == 1, "the first snapshot");
        exchange!.Ban(TimeSpan.FromMilliseconds(300)); // holds the fetch back so the requests pile up
        for (var i = 0; i < 20; i++) connector!.RequestSnapshot("SPOT:BTCUSDT", $"gap {i}");
        await Fx.Eventually(() => connector!.SnapshotsPublished >= 2, "the requested snapshot");
        await Task.Delay(300);
        Assert.InRange(connector!.SnapshotsPublished, 2, 3);
        Assert.Contains(observer.RateLimited, r => r.Status == 418);
        var e = Assert.Throws<ArgumentException>(() => connector.RequestSnapshot("SPOT:NOPE", "test"));
        Assert.Contains(BinanceReasons.UnknownSymbol, e.Message);
    }

    [Fact]
    public async Task Duplicated_and_dropped_events_reach_the_sink_as_the_exchange_sent_them()
    {
        var table = new InstrumentTable([new Instrument(MarketKind.Spot, "BTCUSDT", 0.01m, 0.00001m, 5m)]);
        await StartAsync(new FakeExchangeOptions(), new MarketConnectorOptions(Streams: FastStreams(), HeartbeatInterval: Timeout.InfiniteTimeSpan, SpotDepthLimit: 100), table);
        await Fx.Eventually(() => sink.Count > 10, "running");
        exchange!.DuplicateNextEvents(FakeMarket.Spot, "BTCUSDT", 4);
        exchange.DropNextDepthEvents(FakeMarket.Spot, "BTCUSDT", 2);
        var simulator = exchange.Simulator(FakeMarket.Spot, "BTCUSDT");
        await Fx.Eventually(() => simulator.Events.Count(e => e.Delivery == FakeDelivery.Dropped) == 2 && sink.Of("btcusdt@depth@100ms").Count() > 20, "faults played");
        var dropped = simulator.Events.Where(e => e.Delivery == FakeDelivery.Dropped).Select(e => e.FinalUpdateId).ToList();
        var published = DepthIds(sink.Of("btcusdt@depth@100ms")).ToList();
        Assert.DoesNotContain(published, p => dropped.Contains(p.u));
        AssertNoUnscriptedGap(FakeMarket.Spot, "BTCUSDT", "btcusdt@depth@100ms");
        foreach (var duplicated in simulator.Events.Where(e => e.Delivery == FakeDelivery.Duplicated))
            Assert.Equal(2, sink.Of(duplicated.Stream).Count(f => f.Body.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(duplicated.Data)) >= 0));
        // Spot chains U = previous u + 1, except across the scripted gap.
        var chain = published.DistinctBy(p => p.u).ToList();
        var breaks = chain.Zip(chain.Skip(1)).Count(p => p.Second.U != p.First.u + 1);
        Assert.Equal(1, breaks);
    }
}
